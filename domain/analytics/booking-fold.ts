import type { BookingEventMessage } from '@/domain/booking-events';
import type { RollupDeltas } from './rollup-deltas';
import { bucketOf, hourOf } from './time-buckets';

/** A booking as analytics sees it (the `analytics_bookings` row; times in epoch ms). */
export interface BookingFacts {
  bookingId: string;
  version: number;
  status: string;
  vehicleTypeId: string;
  pickupCell: string;
  fareTotal: number;
  currency: string;
  driverId: string | null;
  createdAt: number | null;
  scheduled: boolean;
  waitFrom: number | null;
  firstAcceptedAt: number | null;
  acceptedAt: number | null;
  arrivedAt: number | null;
  completedAt: number | null;
  cancelledAt: number | null;
  assignMs: number | null;
  promisedEtaS: number | null;
  pickupMs: number | null;
  offers: number;
  cancelledBy: string | null;
  cancelReason: string | null;
  cancellationFee: number | null;
}

/** The pickup ETA offered to `driverId` for this booking, in seconds, if known. */
export type PromisedEta = (bookingId: string, driverId: string) => number | null;

const cancelEvents = new Set(['rider_cancelled', 'driver_cancelled', 'system_cancelled']);

/** Free-text reasons grouped case- and spacing-insensitively, bounded so one long text is one row. */
export function reasonKey(reason: string | null): string {
  const key = (reason ?? '').trim().replace(/\s+/g, ' ').toLowerCase().slice(0, 80);
  return key === '' ? 'unspecified' : key;
}

/**
 * Applies one booking event to its facts and records what it moves in the rollups. Returns the new
 * facts, or null when the event is not newer than what was applied (a redelivery): then nothing is
 * recorded. Deterministic: the same events in the same per-booking order give the same rollups,
 * however they are batched, which is what makes a replay reproduce them.
 */
export function foldBookingEvent(
  prev: BookingFacts | null,
  e: BookingEventMessage,
  deltas: RollupDeltas,
  promisedEta: PromisedEta,
): BookingFacts | null {
  if (prev && e.version <= prev.version) return null;
  const created = e.event === 'requested' || e.event === 'scheduled';
  const f: BookingFacts = prev
    ? { ...prev, version: e.version, status: e.status, fareTotal: e.fareTotal }
    : {
        bookingId: e.bookingId,
        version: e.version,
        status: e.status,
        vehicleTypeId: e.vehicleTypeId,
        pickupCell: e.pickupCell,
        fareTotal: e.fareTotal,
        currency: e.currency,
        driverId: e.driverId,
        // Without its first event (gone from the topic before a rebuild) a booking has no cohort.
        createdAt: created ? e.at : null,
        scheduled: e.event === 'scheduled',
        waitFrom: null,
        firstAcceptedAt: null,
        acceptedAt: null,
        arrivedAt: null,
        completedAt: null,
        cancelledAt: null,
        assignMs: null,
        promisedEtaS: null,
        pickupMs: null,
        offers: 0,
        cancelledBy: null,
        cancelReason: null,
        cancellationFee: null,
      };

  // Bookings per hour by status: the booking leaves its old status's row for the new one.
  if (f.createdAt !== null) {
    const hour = hourOf(f.createdAt);
    if (prev) deltas.add('analytics_bookings_hourly', { hour, status: prev.status }, { bookings: -1 });
    deltas.add('analytics_bookings_hourly', { hour, status: f.status }, { bookings: 1 });
  }

  // Demand starts when a rider waits for a driver: at the request, or a scheduled booking's dispatch.
  if (f.waitFrom === null && (e.event === 'requested' || (e.event === 'dispatch' && f.scheduled))) {
    f.waitFrom = e.at;
    deltas.add('analytics_cell_demand', { bucket: bucketOf(e.at), cell: f.pickupCell }, { requests: 1 });
  }

  switch (e.event) {
    case 'offer':
      f.offers += 1;
      break;
    case 'offer_accepted':
      if (f.firstAcceptedAt === null) {
        f.firstAcceptedAt = e.at;
        f.assignMs = f.waitFrom === null ? null : e.at - f.waitFrom;
      }
      // After a driver's cancel a second driver accepts: the pickup promise is theirs now.
      f.acceptedAt = e.at;
      f.driverId = e.driverId;
      f.promisedEtaS = e.driverId ? promisedEta(e.bookingId, e.driverId) : null;
      f.arrivedAt = null;
      f.pickupMs = null;
      break;
    case 'driver_arrived':
      f.arrivedAt = e.at;
      f.pickupMs = f.acceptedAt === null ? null : e.at - f.acceptedAt;
      break;
    case 'trip_completed':
      f.completedAt = e.at;
      deltas.add(
        'analytics_revenue_hourly',
        { hour: hourOf(e.at), vehicle_type_id: f.vehicleTypeId, currency: f.currency },
        { trips: 1, fares: e.fareTotal },
      );
      break;
    case 'no_driver':
      deltas.add('analytics_cell_demand', { bucket: bucketOf(e.at), cell: f.pickupCell }, { unserved: 1 });
      break;
  }

  if (cancelEvents.has(e.event)) {
    const ended = e.status === 'cancelled';
    deltas.add(
      'analytics_cancellations_hourly',
      { hour: hourOf(e.at), actor: e.actor, reason: reasonKey(e.reason) },
      { cancellations: 1, ended: ended ? 1 : 0 },
    );
    if (ended) {
      f.cancelledAt = e.at;
      f.cancelledBy = e.actor;
      f.cancelReason = e.reason;
      f.cancellationFee = e.cancellationFee ?? null;
      if (f.cancellationFee) {
        deltas.add(
          'analytics_revenue_hourly',
          { hour: hourOf(e.at), vehicle_type_id: f.vehicleTypeId, currency: f.currency },
          { fees_charged: 1, fees: f.cancellationFee },
        );
      }
    }
  }
  return f;
}
