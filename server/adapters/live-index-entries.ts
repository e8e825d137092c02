import type { AvailabilityState } from '@/domain/driver-availability';
import type { Redis } from '../infra/redis';

/** One driver's hash in the Redis live index, as the in-memory index needs it to start warm. */
export interface LiveIndexEntry {
  driverId: string;
  version: number;
  state: AvailabilityState;
  sessionId: string | null;
  vehicleTypeId: string | null;
  /** Present once the driver's session has sent a position. */
  position: { seq: number; at: number; lat: number; lng: number; receivedAt: number } | null;
}

const slice = 5_000;

/**
 * Every online driver's entry, read from `<prefix>:online` and each `<prefix>:drv:<id>` hash
 * (layout: server/adapters/live-index-scripts.ts). Not one atomic read: each hash is read whole,
 * and whatever changed during the read is replayed from Kafka afterwards (ADR 0018).
 */
export async function readLiveIndexEntries(redis: Redis, prefix: string): Promise<LiveIndexEntry[]> {
  const ids = await redis.zrange(`${prefix}:online`, '0', '-1');
  const entries: LiveIndexEntry[] = [];
  for (let start = 0; start < ids.length; start += slice) {
    const chunk = ids.slice(start, start + slice);
    const pipeline = redis.pipeline();
    for (const id of chunk)
      pipeline.hmget(`${prefix}:drv:${id}`, 'ver', 'state', 'sess', 'vt', 'seq', 'at', 'lat', 'lng', 'rx');
    const rows = (await pipeline.exec()) ?? [];
    rows.forEach(([error, value], i) => {
      if (error) throw error;
      const [ver, state, sess, vt, seq, at, lat, lng, rx] = value as (string | null)[];
      if (!ver || !state) return;
      entries.push({
        driverId: chunk[i]!,
        version: Number(ver),
        state: state as AvailabilityState,
        sessionId: sess || null,
        vehicleTypeId: vt || null,
        position:
          seq && lat && lng && rx
            ? {
                seq: Number(seq),
                at: Number(at ?? rx),
                lat: Number(lat),
                lng: Number(lng),
                receivedAt: Number(rx),
              }
            : null,
      });
    });
  }
  return entries;
}
