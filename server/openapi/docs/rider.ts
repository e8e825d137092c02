import { conflict, type DocsFor, invalid, notFound, unprocessable } from '../doc-model';
import { bookingExample, dropoff, exampleJwt, fare, ids, minutes, pickup } from './examples';

/** The rider's journey: cars nearby, a quote, the booking, its cancellation. */
export const riderDocs: DocsFor<'rider' | 'pricing' | 'booking'> = {
  'rider.nearbyCars': {
    summary: 'Cars near a point',
    description:
      'Per vehicle type: how many cars are available near the point, the nearest pickup ETA and their ' +
      'positions blurred to H3 resolution-8 cells (about 0.7 km²). Never driver ids or exact positions.',
    access: ['rider'],
    example: {
      input: pickup,
      output: [
        {
          vehicleTypeId: 'economy',
          name: 'Economy',
          available: 3,
          etaS: 66,
          cars: [{ lat: 12.971, lng: 77.59448 }],
        },
        { vehicleTypeId: 'xl', name: 'XL', available: 0, etaS: null, cars: [] },
      ],
    },
    errors: [invalid('lat', 'lat is outside −90…90 (lng: −180…180)')],
  },
  'pricing.quote': {
    summary: 'Quote a trip',
    description:
      'The fare for a trip with its breakdown (minor currency units) and a signed price lock, `token`, ' +
      'valid 5 minutes: book it with `booking.create` at this price. Trips booked for later ' +
      '(`scheduledFor`, epoch ms) are priced without surge. Every quote counts as demand for surge pricing. ' +
      '`route` is the road route between pickup and drop-off the price follows (a simplified line to draw), ' +
      'or null where the platform prices by straight-line distance.',
    access: ['rider'],
    limits: ['quote'],
    example: {
      input: { pickup, dropoff, vehicleTypeId: 'economy', scheduledFor: null },
      output: {
        quoteId: ids.quote,
        token: exampleJwt,
        expiresAt: minutes(5),
        vehicleTypeId: 'economy',
        pickup,
        dropoff,
        scheduledFor: null,
        fare,
        currency: 'UYU',
        route: [pickup, { lat: (pickup.lat + dropoff.lat) / 2, lng: pickup.lng }, dropoff],
      },
    },
    errors: [
      invalid('pickup', 'the pickup (or `dropoff`) is outside the service area'),
      invalid('dropoff', 'the drop-off is too close to or too far from the pickup'),
      invalid('vehicleTypeId', 'no such vehicle type, or it is retired'),
      invalid('scheduledFor', 'less than 15 minutes from now, or more than 7 days ahead'),
    ],
  },
  'booking.create': {
    summary: 'Book a quoted trip',
    description:
      'Books the trip a quote describes, at its price, and starts looking for a driver. Idempotent per ' +
      'rider and `idempotencyKey`: a retry with the same key and body answers the same booking with ' +
      '`replayed: true`; the same key with another body is refused (422). Retries with one key count as ' +
      'one booking attempt.',
    access: ['rider'],
    limits: ['mutation', 'bookingCreate'],
    example: {
      input: {
        quoteToken: exampleJwt,
        idempotencyKey: ids.idempotencyKey,
        pickupLabel: 'MG Road metro',
        dropoffLabel: 'Indiranagar 100 ft Road',
      },
      output: {
        booking: {
          ...bookingExample,
          status: 'requested',
          version: 1,
          acceptedAt: null,
          driver: null,
          driverPosition: null,
          etaS: null,
          cancellation: {
            fee: 0,
            rule: 'Free: no driver is on the way yet',
            freeUntil: null,
            laterFee: 7000,
          },
        },
        replayed: false,
      },
    },
    errors: [
      invalid('quoteToken', 'the quote is invalid, expired, or was made for another account'),
      // The server names `scheduledFor` here, a field of the quote rather than of this input.
      {
        status: 400,
        when: "the quote's scheduled time has left the booking window (`error.field` is `scheduledFor`)",
      },
      conflict('the quote was already used for another booking', 'quoteToken'),
      conflict('the rider already has a trip under way'),
      unprocessable('the idempotency key was already used with a different request', 'idempotencyKey'),
    ],
  },
  'booking.get': {
    summary: 'One booking',
    description:
      'A booking as the caller may see it: its rider, its driver, and dispatchers and admins. The ' +
      "driver's live position is shown only while the driver is on the way or on the trip. A booking " +
      'the caller may not see reads as not found.',
    access: 'signed-in',
    example: { input: { bookingId: ids.booking }, output: bookingExample },
    errors: [invalid('bookingId', 'not a UUID'), notFound('no such booking, or not yours')],
  },
  'booking.mine': {
    summary: "The rider's bookings",
    description: "The signed-in rider's bookings, newest first.",
    access: ['rider'],
    example: { output: [{ ...bookingExample, driverPosition: null, etaS: null }] },
    errors: [],
  },
  'booking.limits': {
    summary: 'Booking rules',
    description:
      'The schedule window (earliest and latest pickup time for a booking made now, in ms from now) and ' +
      'the cancellation rule (free for `graceAfterAcceptS` after a driver accepts, then `fee` in minor ' +
      'units), so a client can say them before the server refuses.',
    access: ['rider'],
    example: {
      output: {
        schedule: { minLeadMs: 900_000, maxAheadMs: 604_800_000 },
        cancellation: { graceAfterAcceptS: 120, fee: 7000 },
      },
    },
    errors: [],
  },
  'booking.cancel': {
    summary: 'Cancel a booking',
    description:
      'Cancels one of your bookings. Free until a driver has been on the way for the grace period; after ' +
      'that the cancellation fee applies. `terms` says which rule was applied.',
    access: ['rider'],
    example: {
      input: { bookingId: ids.booking, reason: 'Plans changed' },
      output: {
        booking: {
          ...bookingExample,
          status: 'cancelled',
          version: 5,
          cancelledAt: minutes(2),
          cancelledBy: 'rider',
          cancellationFee: 0,
          driverPosition: null,
          etaS: null,
          cancellation: {
            fee: 0,
            rule: 'This booking can no longer be cancelled',
            freeUntil: null,
            laterFee: 7000,
          },
        },
        terms: { fee: 0, rule: 'Free for 2 minutes after a driver accepts' },
      },
    },
    errors: [
      invalid('bookingId', 'not a UUID'),
      notFound('no such booking of yours'),
      conflict('the booking is already finished or cancelled, or changed meanwhile'),
    ],
  },
};
