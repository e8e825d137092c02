import type { LocationRecord } from '@/domain/driver-events';
import {
  type DropReason,
  defaultLocationFilterPolicy,
  filterPings,
  type LastAccepted,
  type LocationBatch,
  type LocationFilterPolicy,
} from '@/domain/location';
import type { LocationBatchResult } from '@/domain/realtime-contract';
import type { LiveIndex } from '../adapters/live-index';
import type { Clock } from './ports';

export interface IngestDeps {
  liveIndex: Pick<LiveIndex, 'ingestView'>;
  /** Resolves once Kafka acknowledged (acks=-1) every record; rejects if it did not. */
  publish: (records: LocationRecord[]) => Promise<void>;
  clock: Clock;
  policy?: LocationFilterPolicy;
  onDropped?: (reason: DropReason, count: number) => void;
}

interface DriverMemory {
  sessionId: string;
  last: LastAccepted | null;
}

/**
 * Accepts one driver's batch: checks the driver is on duty in this session, filters the pings,
 * and publishes the survivors. The answer is given only after Kafka acknowledged them, and the
 * filter's memory advances only then, so a failed publish leaves the batch re-sendable.
 * One ingestor per realtime process; batches of one driver are processed one at a time.
 */
export class LocationIngestor {
  private readonly memory = new Map<string, DriverMemory>();
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

  /** Forget a driver's filter memory (on disconnect: another instance may serve them next). */
  forget(driverId: string): void {
    this.memory.delete(driverId);
  }

  private dropAll(batch: LocationBatch, reason: DropReason): LocationBatchResult {
    this.deps.onDropped?.(reason, batch.pings.length);
    return { accepted: 0, lastSeq: null, dropped: batch.pings.map((p) => ({ seq: p.seq, reason })) };
  }

  private async ingestNow(driverId: string, batch: LocationBatch): Promise<LocationBatchResult> {
    const view = await this.deps.liveIndex.ingestView(driverId);
    if (!view || view.state === 'offline' || !view.vehicleTypeId)
      return this.dropAll(batch, 'driver_offline');
    if (view.sessionId !== batch.sessionId) return this.dropAll(batch, 'wrong_session');
    const remembered = this.memory.get(driverId);
    const previous = remembered?.sessionId === batch.sessionId ? remembered.last : view.last;
    const now = this.deps.clock.now();
    const result = filterPings(batch.pings, previous, now, this.deps.policy ?? defaultLocationFilterPolicy);
    const records: LocationRecord[] = result.accepted.map((p) => ({
      driverId,
      sessionId: batch.sessionId,
      seq: p.seq,
      at: p.at,
      lat: p.lat,
      lng: p.lng,
      ...(p.accuracyM !== undefined ? { accuracyM: p.accuracyM } : {}),
      ...(p.speedMps !== undefined ? { speedMps: p.speedMps } : {}),
      ...(p.headingDeg !== undefined ? { headingDeg: p.headingDeg } : {}),
      receivedAt: now,
      state: view.state,
      vehicleTypeId: view.vehicleTypeId!,
    }));
    await this.deps.publish(records);
    this.memory.set(driverId, { sessionId: batch.sessionId, last: result.last });
    for (const d of result.dropped) this.deps.onDropped?.(d.reason, 1);
    return { accepted: records.length, lastSeq: result.last?.seq ?? null, dropped: result.dropped };
  }
}
