import type { BookingActor, BookingEvent, BookingStatus } from '@/domain/booking';

export const bookingActors: readonly BookingActor[] = ['rider', 'driver', 'system', 'dispatcher'];

/**
 * The booking lifecycle as the product describes it, written out row by row (independently of
 * `domain/booking.ts`): every allowed transition with who may trigger it. Anything else is refused.
 */
export const allowedTransitions: readonly (readonly [
  BookingStatus,
  BookingEvent,
  BookingStatus,
  readonly BookingActor[],
])[] = [
  ['requested', 'dispatch', 'searching', ['system', 'dispatcher']],
  ['scheduled', 'dispatch', 'searching', ['system', 'dispatcher']],
  ['searching', 'offer', 'offered', ['system']],
  ['offered', 'offer_declined', 'searching', ['driver']],
  ['offered', 'offer_expired', 'searching', ['system']],
  ['offered', 'offer_accepted', 'accepted', ['driver']],
  ['accepted', 'driver_arrived', 'arrived', ['driver']],
  ['arrived', 'trip_started', 'in_progress', ['driver']],
  ['in_progress', 'trip_completed', 'completed', ['driver']],
  ['searching', 'no_driver', 'no_driver_found', ['system']],
  // The rider may cancel until the trip starts.
  ...(['scheduled', 'requested', 'searching', 'offered', 'accepted', 'arrived'] as const).map(
    (from) => [from, 'rider_cancelled', 'cancelled', ['rider']] as const,
  ),
  // A driver who drops out before pickup sends the booking back to the search; during the trip it ends.
  ['accepted', 'driver_cancelled', 'searching', ['driver']],
  ['arrived', 'driver_cancelled', 'searching', ['driver']],
  ['in_progress', 'driver_cancelled', 'cancelled', ['driver']],
  // Operations can end any booking that has not ended.
  ...(['scheduled', 'requested', 'searching', 'offered', 'accepted', 'arrived', 'in_progress'] as const).map(
    (from) => [from, 'system_cancelled', 'cancelled', ['system', 'dispatcher']] as const,
  ),
];

export const specRule = (from: BookingStatus, event: BookingEvent) =>
  allowedTransitions.find(([f, e]) => f === from && e === event);

/** Who may trigger `event` at all (from any status). */
export const specActors = (event: BookingEvent): ReadonlySet<BookingActor> =>
  new Set(allowedTransitions.filter(([, e]) => e === event).flatMap(([, , , a]) => a));

/** Statuses in which a driver is bound to the booking (and stays bound after completion). */
export const withDriverStatuses: readonly BookingStatus[] = [
  'accepted',
  'arrived',
  'in_progress',
  'completed',
];
export const terminalStatuses: readonly BookingStatus[] = ['completed', 'cancelled', 'no_driver_found'];
