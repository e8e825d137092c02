import type { OutputOf } from '../procedure-types';

/**
 * Shared example values. Every id, name, e-mail and token here is made up: the published document
 * must never carry a real account, secret or server address.
 */
export const ids = {
  rider: 'b7c1e0b2-4c57-4b59-9a0e-1f3d2a6c8e01',
  driver: '5f0c2d7e-8a1b-4c3d-9e2f-6a7b8c9d0e12',
  otherDriver: '7d2e4f60-1a3b-4c5d-8e6f-a0b1c2d3e4f5',
  admin: '3c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d',
  dispatcher: 'e4d3c2b1-a0f9-4e8d-8c7b-6a5f4e3d2c1b',
  booking: '0b8f3c2a-6d4e-4f1a-8b9c-2d3e4f5a6b70',
  otherBooking: '2c4e6a8b-0d1f-4a3c-9e5b-7d9f1a3c5e7b',
  vehicle: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
  dutySession: '6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d',
  quote: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9',
  idempotencyKey: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968',
} as const;

/** 2026-11-26 09:40 UTC, and minutes after it: examples read as one consistent morning. */
export const t0 = 1_795_686_000_000;
export const minutes = (n: number) => t0 + n * 60_000;

/** An admin list's answer: the one example row on the first page of 25. */
export const firstPageOf = <Row>(row: Row) => ({ rows: [row], total: 1, page: 1, pageSize: 25 });

/** Not a real token: the shape of a signed JWT, signature included, with nothing behind it. */
export const exampleJwt = 'eyJhbGciOiJIUzI1NiJ9.eyJleGFtcGxlIjp0cnVlfQ.ZXhhbXBsZS1zaWduYXR1cmU';

/** Economy as seeded, in centésimos (UYU), for 4.9 km and 13 min. */
export const fare = {
  base: 6500,
  distance: 19468,
  time: 5307,
  surge: 0,
  surgeMultiplier: 1,
  surgeReason: null,
  minimumAdjustment: 0,
  bookingFee: 1500,
  total: 32800,
  distanceM: 4867,
  durationS: 796,
};

export const pickup = { lat: 12.9716, lng: 77.5946 };
export const dropoff = { lat: 12.99858, lng: 77.61306 };

/** A booking as its rider sees it: accepted, the driver two minutes away. */
export const bookingExample: OutputOf<'booking.get'> = {
  id: ids.booking,
  status: 'accepted',
  version: 4,
  vehicleTypeId: 'economy',
  vehicleTypeName: 'Economy',
  pickup: { ...pickup, label: 'MG Road metro' },
  dropoff: { ...dropoff, label: 'Indiranagar 100 ft Road' },
  scheduledFor: null,
  fare,
  currency: 'UYU',
  createdAt: minutes(0),
  acceptedAt: minutes(1),
  arrivedAt: null,
  startedAt: null,
  completedAt: null,
  cancelledAt: null,
  cancelledBy: null,
  cancellationFee: null,
  escalated: false,
  offerExpiresAt: null,
  driver: { id: ids.driver, name: 'Ravi Kumar', vehicle: 'White Maruti Dzire', plate: 'KA-01-AB-1234' },
  rider: null,
  cancellation: {
    fee: 0,
    rule: 'Free for 2 minutes after a driver accepts',
    freeUntil: minutes(3),
    laterFee: 7000,
  },
  driverPosition: { lat: 12.9743, lng: 77.5946, at: minutes(1) },
  etaS: 120,
};

/** The same booking as its driver and dispatchers see it: the rider's name, no cancellation terms. */
export const bookingForStaff: OutputOf<'booking.get'> = {
  ...bookingExample,
  rider: { name: 'Riya Sharma' },
  cancellation: null,
};
