import type { NearestDriverIndex } from '@/domain/nearest-index';
import type { LiveIndexEntry } from '../../adapters/live-index-entries';

/**
 * Loads the Redis live index's drivers into a fresh in-memory index: each driver's state (with
 * its version and session), then its last position. Replaying Kafka from the live-index group's
 * committed offsets afterwards brings in whatever changed meanwhile (ADR 0018).
 */
export function warmNearestIndex(index: NearestDriverIndex, entries: readonly LiveIndexEntry[]): number {
  let warmed = 0;
  for (const e of entries) {
    index.applyState({
      driverId: e.driverId,
      version: e.version,
      state: e.state,
      sessionId: e.sessionId,
      vehicleTypeId: e.vehicleTypeId,
      at: e.position?.receivedAt ?? 0,
    });
    if (e.position && e.sessionId)
      index.applyPosition({ driverId: e.driverId, sessionId: e.sessionId, ...e.position });
    warmed++;
  }
  return warmed;
}
