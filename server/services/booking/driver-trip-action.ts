import { type BookingEvent, nextBookingStatus } from '@/domain/booking';
import type { AvailabilityEvent } from '@/domain/driver-availability';
import { DomainError } from '@/domain/errors';
import type { DriverStateEntry } from '../../adapters/live-index';
import { changeAvailabilityInTx, publishToLiveIndex } from '../driver/internal/availability-change';
import type { BookingDeps } from './deps';
import { type BookingRow, lockBookingIfAny, transitionBooking } from './internal/booking-record';

export const tripActions = ['arrived', 'start', 'complete', 'cancel'] as const;
export type TripAction = (typeof tripActions)[number];

const bookingEventOf: Record<TripAction, BookingEvent> = {
  arrived: 'driver_arrived',
  start: 'trip_started',
  complete: 'trip_completed',
  cancel: 'driver_cancelled',
};

/**
 * The assigned driver moves the trip on: at the pickup, trip started, completed, or cancelled
 * with a reason. A cancel before pickup puts the booking back into the search (the rider is
 * matched again, this driver excluded); during the trip it ends the booking.
 */
export async function driverTripAction(
  deps: BookingDeps,
  input: { driverId: string; bookingId: string; action: TripAction; reason?: string },
): Promise<BookingRow> {
  if (input.action === 'cancel' && !input.reason?.trim()) {
    throw new DomainError('INVALID_INPUT', 'reason: say why you are cancelling', { field: 'reason' });
  }
  const now = deps.clock.now();
  const { row, entries } = await deps.db.transaction(async (tx) => {
    const booking = await lockBookingIfAny(tx, input.bookingId);
    if (!booking || booking.driverId !== input.driverId)
      throw new DomainError('NOT_FOUND', 'No such trip of yours');
    const entries: DriverStateEntry[] = [];
    const availability = (event: AvailabilityEvent) =>
      changeAvailabilityInTx(
        tx,
        { driverId: input.driverId, event, actor: 'driver', reason: input.reason },
        now,
      ).then((r) => entries.push(r.entry));
    const event = bookingEventOf[input.action];
    // An action out of order is refused with the booking's reason, before touching the driver.
    nextBookingStatus(booking.status, event, 'driver');
    let set: Parameters<typeof transitionBooking>[2]['set'] = {};
    if (input.action === 'start') await availability('trip_started');
    if (input.action === 'complete') await availability('trip_completed');
    if (input.action === 'cancel') {
      if (booking.status === 'in_progress') {
        set = { cancelledBy: 'driver', cancelReason: input.reason ?? null };
      } else {
        // Back to the search with a fresh clock; this driver stays excluded (their candidate outcome).
        set = {
          driverId: null,
          vehicleId: null,
          searchStartedAt: new Date(now),
          cancelReason: input.reason ?? null,
        };
      }
      if (booking.status === 'accepted' || booking.status === 'arrived' || booking.status === 'in_progress') {
        await availability('trip_cancelled');
      }
    }
    const row = await transitionBooking(tx, booking, {
      event,
      actor: 'driver',
      actorId: input.driverId,
      now,
      reason: input.reason,
      set,
    });
    return { row, entries };
  });
  await publishToLiveIndex(deps, entries);
  if (row.status === 'searching') await deps.dispatch.assign(row.id, row.version);
  return row;
}
