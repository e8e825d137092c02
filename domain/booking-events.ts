import { z } from 'zod';
import { bookingActors, bookingEvents, bookingStatuses } from './booking';
import { latLngSchema } from './geo';

const place = latLngSchema.extend({ label: z.string().nullable() });

/**
 * `booking.events`: one message per booking transition, published through the outbox. It carries
 * what realtime needs to tell rider, driver and dispatchers, and what analytics counts.
 */
export const bookingEventMessageSchema = z.object({
  type: z.literal('booking.event'),
  bookingId: z.uuid(),
  version: z.int().min(1),
  event: z.enum([...bookingEvents, 'requested', 'scheduled', 'escalated']),
  status: z.enum(bookingStatuses),
  previous: z.enum(bookingStatuses).nullable(),
  actor: z.enum(bookingActors),
  riderId: z.uuid(),
  driverId: z.uuid().nullable(),
  offeredDriverId: z.uuid().nullable(),
  /** The driver whose offer this transition ended (declined, expired, withdrawn). */
  formerOfferDriverId: z.uuid().nullable(),
  offerExpiresAt: z.int().nullable(),
  /** Which offer of this booking (1, 2, …) is ringing, while `offered`. */
  offerSeq: z.int().nullable(),
  vehicleTypeId: z.string(),
  pickup: place,
  dropoff: place,
  pickupCell: z.string(),
  scheduledFor: z.int().nullable(),
  fareTotal: z.int(),
  currency: z.string(),
  reason: z.string().nullable(),
  /** The fee charged, on the event that cancelled the booking (analytics revenue); absent otherwise. */
  cancellationFee: z.int().min(0).optional(),
  at: z.int(),
});
export type BookingEventMessage = z.infer<typeof bookingEventMessageSchema>;
