import type { DriverStateEvent, LocationRecord } from '@/domain/driver-events';
import type { NearestDriverIndex } from '@/domain/nearest-index';

/**
 * Folds what the location stream and the driver events carry into the in-memory index. Both are
 * versioned (state) or sequenced per session (positions), so replays and redeliveries change
 * nothing; a position that outruns its go-online event is held until the event arrives.
 */
export function feedNearestIndex(
  index: NearestDriverIndex,
  input: { positions?: readonly LocationRecord[]; events?: readonly DriverStateEvent[] },
): { applied: number } {
  let applied = 0;
  for (const e of input.events ?? []) {
    if (
      index.applyState({
        driverId: e.driverId,
        version: e.version,
        state: e.state,
        sessionId: e.sessionId,
        vehicleTypeId: e.vehicleTypeId,
        at: e.at,
      })
    )
      applied++;
  }
  for (const r of input.positions ?? []) if (index.applyPosition(r)) applied++;
  return { applied };
}
