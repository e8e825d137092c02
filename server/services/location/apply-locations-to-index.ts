import type { LocationRecord } from '@/domain/driver-events';
import type { LiveIndex } from '../../adapters/live-index';

/**
 * Folds a batch of location records into the live index. Only each driver's newest record
 * matters to the index, so a batch is coalesced to one write per driver first; the index
 * itself ignores anything not newer than what it holds, so redelivered batches are harmless.
 */
export async function applyLocationsToIndex(
  deps: { liveIndex: LiveIndex },
  records: readonly LocationRecord[],
): Promise<{ applied: number; coalesced: number }> {
  const newest = new Map<string, LocationRecord>();
  for (const r of records) {
    const seen = newest.get(r.driverId);
    if (!seen || seen.sessionId !== r.sessionId || seen.seq < r.seq) newest.set(r.driverId, r);
  }
  const applied = await deps.liveIndex.applyPositions([...newest.values()]);
  return { applied, coalesced: records.length - newest.size };
}
