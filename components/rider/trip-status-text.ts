import type { BookingUpdate } from '@/domain/realtime-contract';
import type { BookingView } from '../trpc';
import { clockTime, formatMoney, placeName } from '../ui/format';

/** The headline and the line under it for a booking, as the rider reads them. */
export function tripStatusText(view: BookingView, lastUpdate: BookingUpdate | null): [string, string | null] {
  const driver = view.driver?.name ?? 'Your driver';
  switch (view.status) {
    case 'scheduled':
      return [
        `Scheduled for ${clockTime(view.scheduledFor ?? 0)}`,
        'We start looking for a driver shortly before your pickup time.',
      ];
    case 'requested':
    case 'searching':
    case 'offered':
      return [
        'Finding your driver…',
        lastUpdate?.event === 'driver_cancelled'
          ? `Your driver had to cancel${lastUpdate.reason ? ` (${lastUpdate.reason})` : ''}; we are finding you another one.`
          : 'Asking the nearest drivers, one at a time.',
      ];
    case 'accepted':
      return [`${driver} is on the way`, `Pickup: ${placeName(view.pickup)}`];
    case 'arrived':
      return [`${driver} is at the pickup`, `Look for the plate ${view.driver?.plate ?? ''}`.trim()];
    case 'in_progress':
      return ['On your way', `To ${placeName(view.dropoff)}`];
    case 'completed':
      return ['Trip completed', 'Thanks for riding with us.'];
    case 'cancelled':
      return [
        'Trip cancelled',
        `${view.cancelledBy === 'rider' ? 'You cancelled' : view.cancelledBy === 'driver' ? 'Your driver cancelled during the trip' : 'Cancelled by operations'}${view.cancellationFee ? ` · fee ${formatMoney(view.cancellationFee, view.currency)}` : ' · no fee'}.`,
      ];
    case 'no_driver_found':
      return ['No driver found', 'No driver nearby could take your trip. You were not charged.'];
  }
}
