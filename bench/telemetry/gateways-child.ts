import { io, type Socket } from 'socket.io-client';
import { encodeGatewayFrame } from '@/domain/gateway-frame';
import { haversineMeters, offsetMeters } from '@/domain/geo';
import { locationLimits } from '@/domain/location';
import type {
  Ack,
  ClientToServerEvents,
  GatewayBatchResult,
  ServerToClientEvents,
} from '@/domain/realtime-contract';
import { seededRandom } from '@/domain/seeded-random';
import { signServiceToken } from '@/server/auth/socket-token';
import { Histogram } from '../lib/histogram';
import { runChild } from './child';
import { benchCentre, benchFleet, benchHalfSideM } from './fleet';

/**
 * Load generator: N simulated drivers, each producing one position every `periodMs` (phases spread
 * evenly), relayed by G gateway sockets in messages of up to 100 drivers, each message acked by
 * realtime after Kafka acknowledged it. Records, per driver, which sequence numbers were sent and
 * which acknowledged (bitmaps), so the parent can account for every ping at every hop.
 *
 * A gateway behaves as ADR 0019 asks of one: positions wait in its own queue (one entry per
 * driver, in arrival order) until it may send; a newer position of a driver replaces the unsent
 * older one (`superseded`: never attempted, so never acknowledged nor owed); an ack's
 * `sendAgainInMs` or a refusal's `retryAfterMs` pauses it and shrinks how many messages it lets
 * wait for an ack, and refused positions go back to the queue unless a newer one is already there. `overload` halves the period (2× the load).
 */
export interface GatewaysConfig {
  realtimeUrl: string;
  secret: string;
  drivers: number;
  seed: number;
  gateways: number;
  periodMs: number;
  maxPings: number;
  /** Messages a gateway may have waiting for an ack; beyond it positions wait in its queue. */
  maxInFlight: number;
  /** Every this-many-th driver is sampled: the time of each acknowledgement is kept for it. */
  sampleEvery: number;
}

export interface GatewaysReport {
  attempted: number;
  acked: number;
  failed: number;
  superseded: number;
  refused: number;
  dropped: Record<string, number>;
  ackLatency: ReturnType<Histogram['snapshot']>;
  sendingMs: number;
  /** Per driver, bit i set = seq i+1 acknowledged / attempted. */
  ackedBits: Uint8Array[];
  attemptedBits: Uint8Array[];
  lastSeq: Uint32Array;
  /** Per sampled driver (index / sampleEvery), ackAt[seq] = Date.now() when seq was acknowledged. */
  ackAtSampled: Float64Array[];
}

export interface GatewaysProgress {
  attempted: number;
  acked: number;
  superseded: number;
  refused: number;
}

interface Ping {
  seq: number;
  at: number;
  lat: number;
  lng: number;
  accuracyM: number;
}

type GatewaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const slotMs = 50;

void runChild<GatewaysConfig>(async (config) => {
  const fleet = benchFleet(config.drivers, config.seed);
  const random = seededRandom(config.seed + 1);
  const bytes = Math.ceil(config.maxPings / 8);
  const ackedBits = fleet.map(() => new Uint8Array(bytes));
  const attemptedBits = fleet.map(() => new Uint8Array(bytes));
  const lastSeq = new Uint32Array(fleet.length);
  const position = fleet.map((d) => ({ ...d.start }));
  const heading = fleet.map(() => random() * 2 * Math.PI);
  const latency = new Histogram();
  const dropped: Record<string, number> = {};
  let attempted = 0;
  let acked = 0;
  let failed = 0;
  let superseded = 0;
  let refused = 0;
  const ackAtSampled = fleet
    .filter((_, i) => i % config.sampleEvery === 0)
    .map(() => new Float64Array(config.maxPings + 1));

  const sockets: GatewaySocket[] = [];
  for (let g = 0; g < config.gateways; g++) {
    const { token } = await signServiceToken(`bench-${g}`, config.secret, Date.now(), 3_600);
    const socket: GatewaySocket = io(config.realtimeUrl, {
      transports: ['websocket'],
      auth: { token },
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    sockets.push(socket);
  }
  const inFlight = new Array<number>(config.gateways).fill(0);
  const pausedUntil = new Array<number>(config.gateways).fill(0);
  // Messages a gateway lets wait for an ack: halved when asked to wait, one more per plain ack
  // (additive increase, multiplicative decrease), so a paused gateway does not resume in a burst.
  const window = new Array<number>(config.gateways).fill(config.maxInFlight);
  // Per gateway: each driver's newest unsent position, in the order drivers first queued.
  const queued = Array.from({ length: config.gateways }, () => new Map<number, Ping>());

  // Driver i pings in slot (i mod slots): the load is even, not a burst every period.
  let bySlot: number[][] = [];
  const schedule = (periodMs: number) => {
    const slots = Math.round(periodMs / slotMs);
    bySlot = Array.from({ length: slots }, () => []);
    for (let i = 0; i < fleet.length; i++) bySlot[i % slots]!.push(i);
  };
  schedule(config.periodMs);

  const setBit = (bits: Uint8Array, seq: number) => {
    bits[(seq - 1) >> 3]! |= 1 << ((seq - 1) & 7);
  };

  const move = (i: number) => {
    const stepM = 40 + random() * 20; // 10–15 m/s over 4 s: a city driver, inside every filter
    heading[i]! += (random() - 0.5) * 0.6;
    let next = offsetMeters(position[i]!, Math.cos(heading[i]!) * stepM, Math.sin(heading[i]!) * stepM);
    if (haversineMeters(next, benchCentre) > benchHalfSideM) {
      heading[i]! += Math.PI;
      next = offsetMeters(position[i]!, Math.cos(heading[i]!) * stepM, Math.sin(heading[i]!) * stepM);
    }
    position[i] = next;
  };

  let timer: NodeJS.Timeout | null = null;
  let slot = 0;
  let started = 0;
  let stopped = 0;

  const enqueue = (g: number, i: number, ping: Ping) => {
    const waiting = queued[g]!.get(i);
    if (waiting && waiting.seq > ping.seq) {
      superseded++;
      return;
    }
    if (waiting) superseded++;
    queued[g]!.set(i, ping);
  };

  const send = (g: number) => {
    const queue = queued[g]!;
    while (queue.size > 0 && inFlight[g]! < window[g]! && Date.now() >= pausedUntil[g]!) {
      const chunk: number[] = [];
      const pings: Ping[] = [];
      for (const [i, ping] of queue) {
        chunk.push(i);
        pings.push(ping);
        if (chunk.length === locationLimits.maxGatewayDrivers) break;
      }
      for (const i of chunk) queue.delete(i);
      const drivers = chunk.map((i, k) => {
        const ping = pings[k]!;
        setBit(attemptedBits[i]!, ping.seq);
        attempted++;
        const d = fleet[i]!;
        return { driverId: d.id, sessionId: d.sessionId, pings: [ping] };
      });
      inFlight[g]!++;
      const sentAt = performance.now();
      sockets[g]!.timeout(30_000).emit(
        'location:gateway-frame',
        encodeGatewayFrame(drivers),
        (error: Error | null, answer: Ack<GatewayBatchResult>) => {
          inFlight[g]!--;
          if (!error && !answer.ok && answer.error.code === 'UNAVAILABLE') {
            refused += chunk.length;
            window[g] = 1;
            pausedUntil[g] =
              Date.now() + (answer.error.retryAfterMs ?? (answer.error.retryAfterS ?? 1) * 1000);
            for (const [k, i] of chunk.entries()) enqueue(g, i, pings[k]!);
            return;
          }
          if (error || !answer.ok) {
            failed += drivers.length;
            return;
          }
          latency.record(performance.now() - sentAt);
          const now = Date.now();
          if (answer.sendAgainInMs) {
            pausedUntil[g] = now + answer.sendAgainInMs;
            window[g] = Math.max(1, Math.floor(window[g]! / 2));
          } else window[g] = Math.min(config.maxInFlight, window[g]! + 1);
          answer.results.forEach((r, k) => {
            const i = chunk[k]!;
            const seq = pings[k]!.seq;
            const reason = r.dropped[0]?.reason;
            if (reason === undefined || reason === 'duplicate') {
              setBit(ackedBits[i]!, seq);
              acked++;
              if (i % config.sampleEvery === 0) ackAtSampled[i / config.sampleEvery]![seq] = now;
            } else dropped[reason] = (dropped[reason] ?? 0) + 1;
          });
          send(g);
        },
      );
    }
  };

  const tick = () => {
    const due = bySlot[slot]!;
    slot = (slot + 1) % bySlot.length;
    const now = Date.now();
    for (const i of due) {
      if (lastSeq[i]! >= config.maxPings) continue;
      move(i);
      enqueue(i % config.gateways, i, { seq: ++lastSeq[i]!, at: now, ...position[i]!, accuracyM: 8 });
    }
    for (let g = 0; g < config.gateways; g++) send(g);
  };

  return {
    detail: { gateways: sockets.length },
    start() {
      started = performance.now();
      timer = setInterval(tick, slotMs);
    },
    overload() {
      schedule(config.periodMs / 2);
      slot = 0;
    },
    progress(): GatewaysProgress {
      return { attempted, acked, superseded, refused };
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      stopped = performance.now();
      // Send what is queued and wait for the last acks.
      const deadline = Date.now() + 30_000;
      while ((inFlight.some((n) => n > 0) || queued.some((q) => q.size > 0)) && Date.now() < deadline) {
        for (let g = 0; g < config.gateways; g++) send(g);
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const s of sockets) s.disconnect();
    },
    report(): GatewaysReport {
      return {
        attempted,
        acked,
        failed,
        superseded,
        refused,
        dropped,
        ackLatency: latency.snapshot(),
        sendingMs: (stopped || performance.now()) - started,
        ackedBits,
        attemptedBits,
        lastSeq,
        ackAtSampled,
      };
    },
  };
});
