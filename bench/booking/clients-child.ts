import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type LatLng, offsetMeters } from '@/domain/geo';
import { seededRandom } from '@/domain/seeded-random';
import { Histogram } from '../lib/histogram';
import { nowMs } from '../lib/load-protocol';
import { runChild } from '../telemetry/child';
import { benchCentre } from '../telemetry/fleet';
import { type DriverSocketStats, DriverSockets, type DriverSpec, type OfferSeen } from './driver-sockets';
import { type TrpcAnswer, TrpcHttp } from './trpc-http';

/**
 * Riders and drivers in one load-generator process (a separate process from the system under
 * test and from the benchmark; see bench/lib/load-child.ts).
 *
 * Riders book at a steady rate (open loop: arrivals do not wait for earlier bookings, as real
 * riders do not), each booking a chain of real tRPC calls over HTTP to the web process:
 * `pricing.quote` → `booking.create` → (the offer reaches a driver's socket) → `booking.cancel`.
 * The cancel keeps the fleet free (the offer is withdrawn, the driver is available again) and
 * the rider free for the next booking (one active booking per rider). Latency is from the start
 * of the quote request to `offer:new` arriving at the driver's socket, both stamped in this
 * process with the same clock.
 *
 * Riders and drivers share the process so the driver side can hand the offer to the waiting
 * rider directly: no IPC hop inside the measured interval.
 *
 * Phases run one after another (`start` begins the next, `stop` ends it and waits for its
 * bookings to finish); each counts what happens in its window (after its warm-up, until `stop`).
 */
export interface PhaseConfig {
  name: string;
  ratePerS: number;
  /**
   * When set, the rate is this many times the bookings/s the phase `of` reached (measured in this
   * run: the overload phase runs at 3× the capacity the `alone` phase found).
   */
  capacityOf?: { phase: string; factor: number };
  warmupMs: number;
  maxInFlight: number;
}

export interface ClientsConfig {
  webUrl: string;
  /** The page origin browsers send (the web's public URL). */
  webOrigin: string;
  realtimeUrl: string;
  riders: { id: string; cookie: string }[];
  drivers: DriverSpec[];
  vehicleTypeId: string;
  areaHalfSideM: number;
  pingEveryMs: number;
  /** A booking with no offer by then is given up (counted, cancelled). */
  offerWaitMs: number;
  phases: PhaseConfig[];
  seed: number;
}

/** One measured booking: request start, quote answered, create answered, offer at the driver (ms, shared clock). */
export type BookingTrace = [bookingId: string, t0: number, t1: number, t2: number, t3: number];

export interface PhaseReport {
  name: string;
  ratePerS: number;
  windowMs: number;
  /** Bookings due to begin in the window (begun or skipped). */
  started: number;
  /** Bookings quoted, created and offered to a driver, the offer arriving in the window. */
  offered: number;
  skippedBehind: number;
  noOffer: number;
  errors: Record<string, number>;
  latency: ReturnType<Histogram['snapshot']>;
  /** Every quote and create request web answered (anything but a 503), and every 503, timed apart. */
  answered: ReturnType<Histogram['snapshot']>;
  refused: ReturnType<Histogram['snapshot']>;
  quote: ReturnType<Histogram['snapshot']>;
  create: ReturnType<Histogram['snapshot']>;
  cancel: ReturnType<Histogram['snapshot']>;
  /** Bookings whose offer reached a second, different driver. */
  reofferedToAnother: number;
  /** The same booking's offer again at the same driver. */
  strayOffers: number;
  /** Offers that arrived after their rider had given up (counted in the phase they arrive in). */
  lateOffers: number;
  /** …and how long after the request's start they arrived. */
  late: ReturnType<Histogram['snapshot']>;
  traces: BookingTrace[];
  /** The driver sockets since they connected (cumulative over phases). */
  drivers: DriverSocketStats;
  /** Bookings still under way when the report was taken (should be 0). */
  inFlightLeft: number;
}

type Tracked =
  | { waiting: { resolve: (offer: OfferSeen | null) => void; timer: NodeJS.Timeout } }
  | { driver: number }
  | { givenUpAt: number; t0: number };

void runChild<{ configFile: string }>(async ({ configFile }) => {
  // Cookies and tokens for hundreds of people exceed what one argv string may hold: a file.
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as ClientsConfig;
  const http = new TrpcHttp(config.webUrl, config.webOrigin, 256);
  const random = seededRandom(config.seed);
  /** Every created booking until its rider is done with it (and, given up, until its offer turns up). */
  const tracked = new Map<string, Tracked>();
  /** Offers that arrived before `booking.create` answered (possible: dispatch starts before the answer). */
  const early = new Map<string, OfferSeen>();
  const freeRiders = config.riders.map((_, i) => i);

  let phaseIndex = -1;
  let phase: PhaseConfig | null = null;
  let issuing = false;
  let windowStart = 0;
  let windowEnd = 0;
  let inFlight = 0;
  let report: PhaseReport = emptyReport('none', 0);
  const histograms = () => ({
    latency: new Histogram(),
    answered: new Histogram(),
    refused: new Histogram(),
    quote: new Histogram(),
    create: new Histogram(),
    cancel: new Histogram(),
    late: new Histogram(),
  });
  let h = histograms();

  const drivers = new DriverSockets(config.realtimeUrl, config.drivers, (offer) => {
    const t = tracked.get(offer.bookingId);
    if (!t) early.set(offer.bookingId, offer);
    else if ('waiting' in t) {
      clearTimeout(t.waiting.timer);
      tracked.set(offer.bookingId, { driver: offer.driver });
      t.waiting.resolve(offer);
    } else if ('givenUpAt' in t) {
      // Its rider stopped waiting: how late did it come, counted from the request's start?
      report.lateOffers++;
      h.late.record(offer.receivedAtMs - t.t0);
      tracked.set(offer.bookingId, { driver: offer.driver });
    } else if (t.driver !== offer.driver) report.reofferedToAnother++;
    else report.strayOffers++;
  });
  await drivers.connect();
  await drivers.startPings(config.pingEveryMs);

  const waitForOffer = (bookingId: string, t0: number): Promise<OfferSeen | null> => {
    const seen = early.get(bookingId);
    if (seen) {
      early.delete(bookingId);
      tracked.set(bookingId, { driver: seen.driver });
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        tracked.set(bookingId, { givenUpAt: nowMs(), t0 });
        resolve(null);
      }, config.offerWaitMs);
      tracked.set(bookingId, { waiting: { resolve, timer } });
    });
  };

  /**
   * Whether something happening now counts: the phase's window is open (after its warm-up, before
   * `stop`). Completions count when they happen, whenever their booking began, so a phase whose
   * bookings take longer than its warm-up still measures the throughput it reached.
   */
  const inWindow = () => {
    const now = performance.now();
    return now >= windowStart && (windowEnd === 0 || now <= windowEnd);
  };

  const fail = (step: string, code: string) => {
    if (!inWindow()) return;
    const key = `${step}:${code}`;
    report.errors[key] = (report.errors[key] ?? 0) + 1;
  };

  const trip = (): { pickup: LatLng; dropoff: LatLng } => {
    const half = config.areaHalfSideM;
    const pickup = offsetMeters(benchCentre, (random() * 2 - 1) * half, (random() * 2 - 1) * half);
    // 1–6 km away in any direction: inside the service area wherever the pickup is.
    const distance = 1_000 + random() * 5_000;
    const angle = random() * 2 * Math.PI;
    return { pickup, dropoff: offsetMeters(pickup, Math.cos(angle) * distance, Math.sin(angle) * distance) };
  };

  /** A request timed into `answered` or, when web refused it with 503, `refused`. */
  const timed = async <T>(send: () => Promise<TrpcAnswer<T>>): Promise<TrpcAnswer<T>> => {
    const started = nowMs();
    const answer = await send();
    if (inWindow()) (!answer.ok && answer.status === 503 ? h.refused : h.answered).record(nowMs() - started);
    return answer;
  };

  const book = async (rider: number) => {
    const cookie = config.riders[rider]!.cookie;
    const t0 = nowMs();
    let bookingId: string | null = null;
    try {
      const quote = await timed(() =>
        http.mutation<{ token: string }>(
          'pricing.quote',
          { ...trip(), vehicleTypeId: config.vehicleTypeId },
          cookie,
        ),
      );
      if (!quote.ok) return fail('quote', quote.code);
      const t1 = nowMs();
      const created = await timed(() =>
        http.mutation<{ booking: { id: string } }>(
          'booking.create',
          { quoteToken: quote.data.token, idempotencyKey: randomUUID() },
          cookie,
        ),
      );
      if (!created.ok) return fail('create', created.code);
      const t2 = nowMs();
      bookingId = created.data.booking.id;
      const offer = await waitForOffer(bookingId, t0);
      if (!inWindow()) return;
      if (!offer) {
        report.noOffer++;
        return;
      }
      report.offered++;
      h.latency.record(offer.receivedAtMs - t0);
      h.quote.record(t1 - t0);
      h.create.record(t2 - t1);
      report.traces.push([bookingId, t0, t1, t2, offer.receivedAtMs]);
    } catch (error) {
      fail('http', (error as { code?: string }).code ?? 'error');
    } finally {
      if (bookingId) await cancel(rider, bookingId);
      freeRiders.push(rider);
      inFlight--;
    }
  };

  const cancel = async (rider: number, bookingId: string) => {
    const cookie = config.riders[rider]!.cookie;
    // A rider keeps trying for ~20 s, as the app does, waiting what web asks between refusals.
    for (let attempt = 0; attempt < 20; attempt++) {
      const started = nowMs();
      let waitMs = 100;
      try {
        const answer = await http.mutation('booking.cancel', { bookingId }, cookie);
        if (answer.ok) {
          if (inWindow()) h.cancel.record(nowMs() - started);
          break;
        }
        fail('cancel', answer.code);
        // Refused (e.g. 409 while dispatch holds the booking's row): it is still ours, try again.
        if (answer.status !== 409 && answer.status < 500) break;
        // Over capacity web says "in 1 s" (Retry-After): as the app's client does, wait that long.
        if (answer.status === 503) waitMs = 1_000;
      } catch (error) {
        fail('cancel', (error as { code?: string }).code ?? 'error');
      }
      await new Promise((r) => setTimeout(r, waitMs));
    }
    // Done with it, unless its offer never came: a late one is still worth counting.
    const t = tracked.get(bookingId);
    if (t && 'driver' in t) tracked.delete(bookingId);
  };

  // Open-loop arrivals: every tick issues the bookings due since the last one.
  let due = 0;
  let lastTick = 0;
  let rate = 0;
  /** Bookings/s each finished phase reached, for a phase whose rate is a multiple of one. */
  const reached = new Map<string, number>();
  let ticker: NodeJS.Timeout | null = null;
  const tick = () => {
    const now = performance.now();
    due += ((now - lastTick) / 1000) * rate;
    lastTick = now;
    const measured = now >= windowStart;
    for (; due >= 1; due--) {
      if (measured) report.started++;
      if (inFlight >= phase!.maxInFlight || freeRiders.length === 0) {
        if (measured) report.skippedBehind++;
        continue;
      }
      inFlight++;
      void book(freeRiders.shift()!);
    }
  };

  return {
    detail: { drivers: drivers.stats.connected, riders: config.riders.length },
    start() {
      phaseIndex++;
      phase = config.phases[phaseIndex] ?? null;
      if (!phase) throw new Error('no more phases');
      h = histograms();
      const base = phase.capacityOf ? (reached.get(phase.capacityOf.phase) ?? 0) : 0;
      rate = phase.capacityOf ? Math.max(1, base * phase.capacityOf.factor) : phase.ratePerS;
      report = emptyReport(phase.name, Math.round(rate));
      windowStart = performance.now() + phase.warmupMs;
      windowEnd = 0;
      issuing = true;
      due = 0;
      lastTick = performance.now();
      ticker = setInterval(tick, 5);
    },
    async stop() {
      if (!issuing) return;
      issuing = false;
      if (ticker) clearInterval(ticker);
      windowEnd = performance.now();
      // Let the bookings in flight finish (no longer counted) so the next phase starts clean.
      const deadline = Date.now() + config.offerWaitMs + 10_000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
    progress() {
      return { inFlight, ...drivers.stats };
    },
    report(): PhaseReport {
      report.windowMs = Math.max(0, (windowEnd || performance.now()) - windowStart);
      report.latency = h.latency.snapshot();
      report.answered = h.answered.snapshot();
      report.refused = h.refused.snapshot();
      if (report.windowMs > 0) reached.set(report.name, report.offered / (report.windowMs / 1000));
      report.quote = h.quote.snapshot();
      report.create = h.create.snapshot();
      report.cancel = h.cancel.snapshot();
      report.late = h.late.snapshot();
      // The drivers stay on duty and pinging until the process ends (after the drain): a booking
      // whose rider gave up must still find fresh drivers, as it would in the city.
      return { ...report, drivers: { ...drivers.stats }, inFlightLeft: inFlight };
    },
  };
});

function emptyReport(name: string, ratePerS: number): PhaseReport {
  const empty = new Histogram().snapshot();
  return {
    name,
    ratePerS,
    windowMs: 0,
    started: 0,
    offered: 0,
    skippedBehind: 0,
    noOffer: 0,
    errors: {},
    latency: empty,
    answered: empty,
    refused: empty,
    quote: empty,
    create: empty,
    cancel: empty,
    reofferedToAnother: 0,
    strayOffers: 0,
    lateOffers: 0,
    late: empty,
    traces: [],
    drivers: {
      connected: 0,
      pingsSent: 0,
      pingsAccepted: 0,
      pingsRefused: 0,
      offers: 0,
      withdrawn: 0,
      closedUnexpectedly: 0,
    },
    inFlightLeft: 0,
  };
}
