import { type Context, type Span, SpanKind, type Tracer } from '@opentelemetry/api';
import { activeWithDriver } from '@/domain/booking';
import type { BookingEventMessage } from '@/domain/booking-events';
import { canView } from '@/domain/booking-visibility';
import { haversineMeters } from '@/domain/geo';
import { rooms } from '@/domain/realtime-contract';
import type { FleetEntry, FleetView } from './fleet-view';
import type { RealtimeServer } from './types';

/** What the driver's screen says when an offer goes away without their answer. */
const withdrawalReason: Partial<Record<BookingEventMessage['event'], string>> = {
  offer_expired: 'The offer expired',
  rider_cancelled: 'The rider cancelled',
};

export interface BookingFanoutOptions {
  /** How long a driver's phone has to acknowledge an offer before it counts as unreachable. */
  offerAckMs: number;
  /** Ends an offer early (the driver's app did not take it, or the driver disconnected). */
  onUnreachable: (bookingId: string, offerSeq: number, reason: string) => void;
  /** Counts what happened to offers and updates on this instance (metrics). */
  onOutcome?: (what: 'delivered' | 'acknowledged' | 'unreachable' | 'withdrawn' | 'update') => void;
  /** Records socket emits as spans under the Kafka message's span, when `onEvent` is given one. */
  tracer?: Tracer;
}

/**
 * Booking events from Kafka to the people concerned, on this instance's sockets:
 *  - every change to the booking's room (the rider, the driver) and a board nudge to dispatchers;
 *  - a new offer to the driver's phone, acknowledged; no acknowledgement, or a disconnect while it
 *    rings, ends it early so dispatch moves on;
 *  - a withdrawn or expired offer is taken off the driver's screen at once;
 *  - the assigned driver's positions to the booking's room, only from acceptance to the end of the
 *    trip (location privacy: a rider sees their driver, only while it applies).
 */
export class BookingFanout {
  /** Driver → booking, for trips under way. */
  private readonly assigned = new Map<string, string>();
  /** Driver → the offer ringing for them. */
  private readonly offers = new Map<string, { bookingId: string; offerSeq: number }>();

  constructor(
    private readonly io: RealtimeServer,
    private readonly fleet: FleetView,
    private readonly options: BookingFanoutOptions,
  ) {}

  /** `parent`: the trace context of the Kafka message (realtime passes contexts explicitly). */
  onEvent(m: BookingEventMessage, parent?: Context): void {
    const local = this.io.local;
    this.evictThoseWhoMayNoLongerView(m);
    this.options.onOutcome?.('update');
    const span = this.emitSpan('booking:updated', rooms.booking(m.bookingId), m, parent);
    local.to(rooms.booking(m.bookingId)).emit('booking:updated', {
      bookingId: m.bookingId,
      version: m.version,
      status: m.status,
      event: m.event,
      driverId: m.driverId,
      reason: m.reason,
      at: m.at,
    });
    span?.end();
    local
      .to(rooms.operations())
      .emit('booking:board', { bookingId: m.bookingId, status: m.status, version: m.version, at: m.at });

    if (m.formerOfferDriverId) {
      this.offers.delete(m.formerOfferDriverId);
      if (m.event !== 'offer_declined') {
        this.options.onOutcome?.('withdrawn');
        local.to(rooms.driver(m.formerOfferDriverId)).emit('offer:withdrawn', {
          bookingId: m.bookingId,
          reason: withdrawalReason[m.event] ?? 'The trip was cancelled',
        });
      }
    }
    if (m.event === 'offer' && m.offeredDriverId && m.offerSeq !== null) this.deliverOffer(m, parent);

    for (const [driverId, bookingId] of this.assigned)
      if (bookingId === m.bookingId) this.assigned.delete(driverId);
    if (m.driverId && activeWithDriver.includes(m.status)) {
      this.assigned.set(m.driverId, m.bookingId);
      const entry = this.fleet.positionOf(m.driverId);
      if (entry && m.event === 'offer_accepted') this.sendPosition(m.bookingId, entry);
    }
  }

  /**
   * A socket follows a booking only while its user may see it (`canView` in domain/booking-visibility.ts): a driver
   * whose offer moved on (declined, expired, withdrawn) or who cancelled leaves the room before
   * anything else is sent to it, so the next driver's positions never reach them.
   */
  private evictThoseWhoMayNoLongerView(m: BookingEventMessage): void {
    const room = rooms.booking(m.bookingId);
    const members = this.io.sockets.adapter.rooms.get(room);
    if (!members) return;
    for (const id of [...members]) {
      const socket = this.io.sockets.sockets.get(id);
      const principal = socket?.data.principal;
      if (!socket || !principal || principal.role === 'gateway') continue;
      if (!canView({ id: principal.userId, role: principal.role }, m)) void socket.leave(room);
    }
  }

  /** Called at each fan-out flush for drivers that moved. */
  onDriverMoved(entry: FleetEntry): void {
    const bookingId = this.assigned.get(entry.live.driverId);
    if (bookingId) this.sendPosition(bookingId, entry.live);
  }

  onDriverDisconnected(driverId: string): void {
    const offer = this.offers.get(driverId);
    if (!offer || this.io.sockets.adapter.rooms.get(rooms.driver(driverId))?.size) return;
    this.offers.delete(driverId);
    this.options.onOutcome?.('unreachable');
    this.options.onUnreachable(offer.bookingId, offer.offerSeq, 'driver disconnected');
  }

  private sendPosition(
    bookingId: string,
    p: { lat: number; lng: number; headingDeg?: number; lastSeenAt: number },
  ): void {
    this.io.local.to(rooms.booking(bookingId)).emit('booking:driver-location', {
      bookingId,
      lat: p.lat,
      lng: p.lng,
      ...(p.headingDeg !== undefined ? { headingDeg: p.headingDeg } : {}),
      at: p.lastSeenAt,
    });
  }

  private deliverOffer(m: BookingEventMessage, parent: Context | undefined): void {
    const driverId = m.offeredDriverId!;
    const offerSeq = m.offerSeq!;
    this.offers.set(driverId, { bookingId: m.bookingId, offerSeq });
    const room = rooms.driver(driverId);
    // Another instance may hold the driver's socket; only the one that does delivers.
    if (!this.io.sockets.adapter.rooms.get(room)?.size) return;
    const position = this.fleet.positionOf(driverId);
    this.options.onOutcome?.('delivered');
    // Ends with the phone's acknowledgement (or its absence): the span shows how long it took.
    const span = this.emitSpan('offer:new', room, m, parent);
    this.io.local
      .to(room)
      .timeout(this.options.offerAckMs)
      .emit(
        'offer:new',
        {
          bookingId: m.bookingId,
          expiresAt: m.offerExpiresAt ?? m.at,
          pickup: m.pickup,
          dropoff: m.dropoff,
          fareTotal: m.fareTotal,
          currency: m.currency,
          vehicleTypeId: m.vehicleTypeId,
          pickupDistanceM: position ? Math.round(haversineMeters(position, m.pickup)) : null,
        },
        (error: Error | null, responses: unknown[]) => {
          span?.setAttribute('offer.acknowledged', responses.length > 0);
          span?.end();
          if (responses.length > 0) this.options.onOutcome?.('acknowledged');
          if (error && responses.length === 0 && this.offers.get(driverId)?.offerSeq === offerSeq) {
            this.offers.delete(driverId);
            this.options.onOutcome?.('unreachable');
            this.options.onUnreachable(m.bookingId, offerSeq, 'driver app did not take the offer');
          }
        },
      );
  }

  /** A span for one emit to a room of this instance, under `parent`; none without a parent or tracer. */
  private emitSpan(
    event: string,
    room: string,
    m: BookingEventMessage,
    parent: Context | undefined,
  ): Span | undefined {
    if (!parent || !this.options.tracer) return undefined;
    return this.options.tracer.startSpan(
      `socket.emit ${event}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'socket.io',
          'socket.io.room': room,
          'socket.io.local_sockets': this.io.sockets.adapter.rooms.get(room)?.size ?? 0,
          'booking.id': m.bookingId,
          'booking.version': m.version,
          'booking.status': m.status,
          'booking.event': m.event,
        },
      },
      parent,
    );
  }
}
