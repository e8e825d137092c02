import { randomUUID } from 'node:crypto';
import type { RiderDoors } from './sim-riders';
import { type DoorSettings, type SimAccount, webSession } from './web-session';

/** A simulated rider's app: quote, book and cancel through the web app's API with a rider's session. */
export async function riderDoors(
  account: SimAccount,
  settings: DoorSettings,
  ttlS: number,
): Promise<RiderDoors> {
  const call = await webSession(account, 'rider', settings, ttlS);
  return {
    quote: async (trip, scheduledFor) => {
      const { pickup, dropoff, vehicleTypeId } = trip;
      return (
        await call<{ token: string }>('pricing.quote', { pickup, dropoff, vehicleTypeId, scheduledFor })
      ).token;
    },
    book: async (quoteToken, trip) =>
      (
        await call<{ booking: { id: string } }>('booking.create', {
          quoteToken,
          idempotencyKey: randomUUID(),
          pickupLabel: trip.pickupLabel,
          dropoffLabel: trip.dropoffLabel,
        })
      ).booking.id,
    cancel: async (bookingId) => {
      await call('booking.cancel', { bookingId, reason: 'Plans changed' });
    },
  };
}
