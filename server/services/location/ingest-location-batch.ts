import type { AvailabilityState } from '@/domain/driver-availability';
import type { LocationRecord } from '@/domain/driver-events';
import { DomainError } from '@/domain/errors';
import {
  type DropReason,
  defaultLocationFilterPolicy,
  filterPings,
  type LastAccepted,
  type LocationBatch,
  type LocationFilterPolicy,
} from '@/domain/location';
import type { LocationBatchResult } from '@/domain/realtime-contract';
import type { LiveIndex } from '../../adapters/live-index';
import type { Pressure } from '../../infra/ingest-backpressure';
import type { Clock } from '../ports';

export interface IngestDeps {
  liveIndex: Pick<LiveIndex, 'ingestView'>;
  /** Resolves once Kafka acknowledged (acks=-1) every record; rejects if it did not. */
  publish: (records: LocationRecord[]) => Promise<void>;
  clock: Clock;
  policy?: LocationFilterPolicy;
  onDropped?: (reason: DropReason, count: number) => void;
  /** How far behind this process is (infra/ingest-backpressure.ts); absent = never behind. */
  pressure?: () => Pressure;
}

/** What the ingestor knows about a driver: duty (from the index, then kept current by events) and filter memory. */
interface DriverEntry {
  /** Availability version the duty fields reflect. */
  version: number;
  state: AvailabilityState;
  sessionId: string | null;
  vehicleTypeId: string | null;
  /** The last accepted point of `sessionId`, advanced only after Kafka acknowledged it. */
  last: LastAccepted | null;
}

export interface DutyChange {
  driverId: string;
  version: number;
  state: AvailabilityState;
  sessionId: string | null;
  vehicleTypeId: string | null;
}

/**
 * Accepts one driver's batch: checks the driver is on duty in this session, filters the pings,
 * and publishes the survivors. The answer is given only after Kafka acknowledged them, and the
 * filter's memory advances only then, so a failed publish leaves the batch re-sendable.
 * One ingestor per realtime process; batches of one driver are processed one at a time.
 *
 * Duty is read from the live index once per driver and then kept current by the driver events
 * this process reads anyway (`applyDutyChange`), so steady-state ingest does no Redis read. A
 * batch the cache would refuse is checked against the index first: the cache can only make
 * ingest accept a few pings just after a driver went offline, never refuse a good one.
 */
export class LocationIngestor {
  private readonly drivers = new Map<string, DriverEntry>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: IngestDeps) {}

  ingest(driverId: string, batch: LocationBatch): Promise<LocationBatchResult> {
    const previous = this.queues.get(driverId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.ingestNow(driverId, batch));
    this.queues.set(driverId, run);
    // Clean up with then(f, f), not finally(): finally() would derive a second promise that
    // rejects, unhandled, whenever a publish fails (the caller handles `run` itself).
    const cleanup = () => {
      if (this.queues.get(driverId) === run) this.queues.delete(driverId);
    };
    run.then(cleanup, cleanup);
    return run;
  }

  /**
   * While realtime is getting behind: how long senders should wait before their next batch
   * (the ack carries it). Undefined when they may send at will.
   */
  sendAgainInMs(): number | undefined {
    const pressure = this.deps.pressure?.();
    return pressure && pressure.level !== 'ok' ? pressure.waitMs : undefined;
  }

  /** Forget a driver (on disconnect: another instance may serve them next). */
  forget(driverId: string): void {
    this.drivers.delete(driverId);
  }

  /** A driver's availability changed (from Kafka `driver.events`); older versions are ignored. */
  applyDutyChange(change: DutyChange): void {
    const e = this.drivers.get(change.driverId);
    if (!e || change.version <= e.version) return;
    if (change.sessionId !== e.sessionId) e.last = null;
    e.version = change.version;
    e.state = change.state;
    e.sessionId = change.sessionId;
    e.vehicleTypeId = change.vehicleTypeId;
  }

  private dropAll(batch: LocationBatch, reason: DropReason): LocationBatchResult {
    this.deps.onDropped?.(reason, batch.pings.length);
    return { accepted: 0, lastSeq: null, dropped: batch.pings.map((p) => ({ seq: p.seq, reason })) };
  }

  private async load(driverId: string): Promise<DriverEntry | null> {
    const view = await this.deps.liveIndex.ingestView(driverId);
    const cached = this.drivers.get(driverId);
    if (!view) {
      this.drivers.delete(driverId);
      return null;
    }
    const entry: DriverEntry = {
      version: view.version,
      state: view.state,
      sessionId: view.sessionId,
      vehicleTypeId: view.vehicleTypeId,
      // Our own memory of the session is ahead of the index (which a consumer updates later).
      last: cached && cached.sessionId === view.sessionId && cached.last ? cached.last : view.last,
    };
    this.drivers.set(driverId, entry);
    return entry;
  }

  /**
   * Several drivers' batches at once (a gateway message): one filter pass, one publish, one
   * promise, instead of per-driver machinery that showed up in profiles at 25k drivers/s.
   * Drivers with work already in flight, or not yet known, take the per-driver path, so each
   * driver's batches stay in order. Rejects (nothing acknowledged) if the publish fails.
   * Once this process is behind, a message is refused before any work (UNAVAILABLE with the
   * time to retry): its positions stay with the sender instead of queueing here.
   */
  async ingestMany(
    items: readonly { driverId: string; batch: LocationBatch }[],
  ): Promise<LocationBatchResult[]> {
    const pressure = this.deps.pressure?.();
    if (pressure?.level === 'refuse') {
      throw new DomainError(
        'UNAVAILABLE',
        `Realtime is behind: send these positions again in ${pressure.waitMs} ms`,
        {
          retryAfterS: Math.ceil(pressure.waitMs / 1000),
          retryAfterMs: pressure.waitMs,
        },
      );
    }
    const results: LocationBatchResult[] = new Array(items.length);
    const slow: Promise<void>[] = [];
    const fast: {
      index: number;
      driverId: string;
      sessionId: string;
      entry: DriverEntry;
      result: ReturnType<typeof filterPings>;
    }[] = [];
    const records: LocationRecord[] = [];
    const now = this.deps.clock.now();
    const policy = this.deps.policy ?? defaultLocationFilterPolicy;
    items.forEach(({ driverId, batch }, index) => {
      const entry = this.drivers.get(driverId);
      if (this.queues.has(driverId) || !entry || !this.onDuty(entry, batch)) {
        slow.push(
          this.ingest(driverId, batch).then((r) => {
            results[index] = r;
          }),
        );
        return;
      }
      const result = filterPings(batch.pings, entry.last, now, policy);
      for (const p of result.accepted) records.push(this.record(driverId, batch.sessionId, entry, p, now));
      fast.push({ index, driverId, sessionId: batch.sessionId, entry, result });
    });
    const published = this.deps.publish(records);
    for (const f of fast) this.queues.set(f.driverId, published);
    let failure: unknown = null;
    try {
      await published;
    } catch (error) {
      failure = error;
    } finally {
      for (const f of fast) if (this.queues.get(f.driverId) === published) this.queues.delete(f.driverId);
    }
    // Settle the per-driver ones too before answering, so none of them rejects unobserved.
    const settled = await Promise.allSettled(slow);
    if (failure) throw failure;
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    for (const { index, sessionId, entry, result } of fast) {
      // As in `ingestNow`: a duty change while publishing may have started another session,
      // whose filter memory this batch must not overwrite.
      if (entry.sessionId === sessionId) entry.last = result.last;
      for (const d of result.dropped) this.deps.onDropped?.(d.reason, 1);
      results[index] = {
        accepted: result.accepted.length,
        lastSeq: result.last?.seq ?? null,
        dropped: result.dropped,
      };
    }
    return results;
  }

  private onDuty(entry: DriverEntry | null, batch: LocationBatch): entry is DriverEntry {
    return (
      !!entry && entry.state !== 'offline' && !!entry.vehicleTypeId && entry.sessionId === batch.sessionId
    );
  }

  private record(
    driverId: string,
    sessionId: string,
    entry: DriverEntry,
    p: LocationBatch['pings'][number],
    now: number,
  ): LocationRecord {
    return {
      driverId,
      sessionId,
      seq: p.seq,
      at: p.at,
      lat: p.lat,
      lng: p.lng,
      ...(p.accuracyM !== undefined ? { accuracyM: p.accuracyM } : {}),
      ...(p.speedMps !== undefined ? { speedMps: p.speedMps } : {}),
      ...(p.headingDeg !== undefined ? { headingDeg: p.headingDeg } : {}),
      receivedAt: now,
      state: entry.state,
      vehicleTypeId: entry.vehicleTypeId!,
    };
  }

  private async ingestNow(driverId: string, batch: LocationBatch): Promise<LocationBatchResult> {
    let entry = this.drivers.get(driverId) ?? (await this.load(driverId));
    if (!this.onDuty(entry, batch)) entry = await this.load(driverId);
    if (!entry || entry.state === 'offline' || !entry.vehicleTypeId)
      return this.dropAll(batch, 'driver_offline');
    if (entry.sessionId !== batch.sessionId) return this.dropAll(batch, 'wrong_session');
    const now = this.deps.clock.now();
    const result = filterPings(batch.pings, entry.last, now, this.deps.policy ?? defaultLocationFilterPolicy);
    const records = result.accepted.map((p) => this.record(driverId, batch.sessionId, entry, p, now));
    await this.deps.publish(records);
    if (entry.sessionId === batch.sessionId) entry.last = result.last;
    for (const d of result.dropped) this.deps.onDropped?.(d.reason, 1);
    return { accepted: records.length, lastSeq: result.last?.seq ?? null, dropped: result.dropped };
  }
}
