import type { AvailabilityState } from '@/domain/driver-availability';
import type { DriverStateEvent } from '@/domain/driver-events';
import type { RollupCounts, RollupDeltas } from './rollup-deltas';
import { hourOf, splitByHour } from './time-buckets';

/** A driver's last applied availability event (the `analytics_driver_cursor` row; `since` in epoch ms). */
export interface DriverCursor {
  driverId: string;
  version: number;
  state: AvailabilityState;
  since: number;
}

type DriverCounter = keyof RollupCounts<'analytics_driver_hourly'>;

/** On-duty states and the column their time goes to; offline time is not counted anywhere. */
const timeColumn: Partial<Record<AvailabilityState, DriverCounter>> = {
  available: 'available_ms',
  paused: 'paused_ms',
  offered: 'offered_ms',
  en_route: 'en_route_ms',
  on_trip: 'on_trip_ms',
};

const eventColumn: Partial<Record<DriverStateEvent['event'], DriverCounter>> = {
  offer_sent: 'offers',
  offer_accepted: 'accepted',
  offer_declined: 'declined',
  offer_expired: 'expired',
  trip_completed: 'trips',
};

/**
 * Applies one availability event: the time spent in the state it ends is credited, hour by hour,
 * and offers and trips are counted in the event's hour. Returns the new cursor, or null when the
 * event is not newer than the cursor (a redelivery): then nothing is recorded. Time is credited
 * only across consecutive versions, where the state in between is known; after a gap (the topic
 * no longer holds the events in between) the interval is skipped rather than guessed.
 */
export function foldDriverEvent(
  prev: DriverCursor | null,
  e: DriverStateEvent,
  deltas: RollupDeltas,
): DriverCursor | null {
  if (prev && e.version <= prev.version) return null;
  const column = prev ? timeColumn[prev.state] : undefined;
  if (prev && column && e.version === prev.version + 1) {
    for (const { hour, ms } of splitByHour(prev.since, e.at)) {
      deltas.add('analytics_driver_hourly', { driver_id: e.driverId, hour }, { [column]: ms });
    }
  }
  const counter = eventColumn[e.event];
  if (counter)
    deltas.add('analytics_driver_hourly', { driver_id: e.driverId, hour: hourOf(e.at) }, { [counter]: 1 });
  return { driverId: e.driverId, version: e.version, state: e.state, since: e.at };
}
