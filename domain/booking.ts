import { DomainError } from './errors';

/**
 * A booking's life. `scheduled` waits for its dispatch time; the rest is the trip. Terminal:
 * completed, cancelled, no_driver_found. Every transition bumps the booking's version, which
 * clients use to drop stale updates.
 */
export const bookingStatuses = [
  'scheduled',
  'requested',
  'searching',
  'offered',
  'accepted',
  'arrived',
  'in_progress',
  'completed',
  'cancelled',
  'no_driver_found',
] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

export const bookingEvents = [
  'dispatch',
  'offer',
  'offer_declined',
  'offer_expired',
  'offer_accepted',
  'driver_arrived',
  'trip_started',
  'trip_completed',
  'rider_cancelled',
  'driver_cancelled',
  'system_cancelled',
  'no_driver',
] as const;
export type BookingEvent = (typeof bookingEvents)[number];

export const bookingActors = ['rider', 'driver', 'system', 'dispatcher'] as const;
export type BookingActor = (typeof bookingActors)[number];

const terminal: readonly BookingStatus[] = ['completed', 'cancelled', 'no_driver_found'];
export const isTerminal = (s: BookingStatus) => terminal.includes(s);
/** A driver is attached and the trip has not ended. */
export const activeWithDriver: readonly BookingStatus[] = ['accepted', 'arrived', 'in_progress'];

/** Cancellable by the rider until the trip starts. */
const cancellable: readonly BookingStatus[] = bookingStatuses.filter(
  (s) => !isTerminal(s) && s !== 'in_progress',
);

const table: Record<
  BookingEvent,
  { from: readonly BookingStatus[]; to: (from: BookingStatus) => BookingStatus; by: readonly BookingActor[] }
> = {
  dispatch: { from: ['requested', 'scheduled'], to: () => 'searching', by: ['system', 'dispatcher'] },
  offer: { from: ['searching'], to: () => 'offered', by: ['system'] },
  offer_declined: { from: ['offered'], to: () => 'searching', by: ['driver'] },
  offer_expired: { from: ['offered'], to: () => 'searching', by: ['system'] },
  offer_accepted: { from: ['offered'], to: () => 'accepted', by: ['driver'] },
  driver_arrived: { from: ['accepted'], to: () => 'arrived', by: ['driver'] },
  trip_started: { from: ['arrived'], to: () => 'in_progress', by: ['driver'] },
  trip_completed: { from: ['in_progress'], to: () => 'completed', by: ['driver'] },
  rider_cancelled: { from: cancellable, to: () => 'cancelled', by: ['rider'] },
  // Before pickup the rider is matched again; during the trip the booking ends.
  driver_cancelled: {
    from: ['accepted', 'arrived', 'in_progress'],
    to: (from) => (from === 'in_progress' ? 'cancelled' : 'searching'),
    by: ['driver'],
  },
  system_cancelled: {
    from: [...cancellable, 'in_progress'],
    to: () => 'cancelled',
    by: ['system', 'dispatcher'],
  },
  no_driver: { from: ['searching'], to: () => 'no_driver_found', by: ['system'] },
};

export function nextBookingStatus(
  from: BookingStatus,
  event: BookingEvent,
  actor: BookingActor,
): BookingStatus {
  const rule = table[event];
  if (!rule.by.includes(actor)) {
    throw new DomainError('FORBIDDEN', `A ${actor} cannot ${event.replaceAll('_', ' ')}`);
  }
  if (!rule.from.includes(from)) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `A booking that is ${from.replaceAll('_', ' ')} cannot be ${event.replaceAll('_', ' ')}`,
      {
        from,
        event,
      },
    );
  }
  return rule.to(from);
}

export function canApplyBookingEvent(from: BookingStatus, event: BookingEvent): boolean {
  return table[event].from.includes(from);
}
