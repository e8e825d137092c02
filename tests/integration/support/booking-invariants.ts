import { and, asc, eq, inArray } from 'drizzle-orm';
import { availabilityChanges, bookingEvents, bookings, drivers, outbox } from '@/db/schema';
import {
  type BookingActor,
  type BookingEvent,
  type BookingStatus,
  nextBookingStatus,
} from '@/domain/booking';
import { type BookingEventMessage, bookingEventMessageSchema } from '@/domain/booking-events';
import { type AvailabilityState, nextAvailability } from '@/domain/driver-availability';
import { driverStateEventSchema } from '@/domain/driver-events';
import type { Database } from '@/server/infra/postgres';

const attached: readonly BookingStatus[] = ['accepted', 'arrived', 'in_progress', 'completed'];
const active: readonly BookingStatus[] = ['accepted', 'arrived', 'in_progress'];

/**
 * What must hold of bookings and drivers in the database at any commit, whatever interleaving led
 * there. Returns the violations in words (empty: all hold). Read in one repeatable-read snapshot,
 * so it may run while other work continues. No outbox relay may run in the world checked: each
 * booking event and availability change must still have exactly one outbox row.
 */
export async function bookingInvariantViolations(
  db: Database,
  scope: { bookingIds: string[]; driverIds: string[] },
): Promise<string[]> {
  return db.transaction(
    async (tx) => {
      const out: string[] = [];
      /** The outbox rows of `topic` for these keys, in publishing order (none for no keys). */
      const outboxFor = async (topic: string, keys: string[]) =>
        keys.length
          ? await tx
              .select()
              .from(outbox)
              .where(and(eq(outbox.topic, topic), inArray(outbox.key, keys)))
              .orderBy(asc(outbox.id))
          : [];
      const all = await tx.select().from(bookings);
      // Global: one active trip and one ringing offer per driver; one driver per booking is structural.
      const count = (rows: (string | null)[]) => {
        const m = new Map<string, number>();
        for (const r of rows) if (r) m.set(r, (m.get(r) ?? 0) + 1);
        return m;
      };
      for (const [d, n] of count(all.filter((b) => active.includes(b.status)).map((b) => b.driverId))) {
        if (n > 1) out.push(`driver ${d} has ${n} active bookings`);
      }
      for (const [d, n] of count(all.filter((b) => b.status === 'offered').map((b) => b.offeredDriverId))) {
        if (n > 1) out.push(`driver ${d} has ${n} offers ringing`);
      }

      const scoped = all.filter((b) => scope.bookingIds.includes(b.id));
      const events = scope.bookingIds.length
        ? await tx
            .select()
            .from(bookingEvents)
            .where(inArray(bookingEvents.bookingId, scope.bookingIds))
            .orderBy(asc(bookingEvents.bookingId), asc(bookingEvents.version))
        : [];
      const published = await outboxFor('bookingEvents', scope.bookingIds);
      for (const b of scoped) {
        const tag = `booking ${b.id.slice(0, 8)}`;
        const history = events.filter((e) => e.bookingId === b.id);
        const messages = published
          .filter((o) => o.key === b.id)
          .map((o) => bookingEventMessageSchema.safeParse(o.payload));
        if (messages.some((m) => !m.success)) out.push(`${tag}: an outbox payload does not match the schema`);
        const byVersion = new Map<number, BookingEventMessage[]>();
        for (const m of messages)
          if (m.success) byVersion.set(m.data.version, [...(byVersion.get(m.data.version) ?? []), m.data]);
        if (messages.length !== history.length) {
          out.push(`${tag}: ${history.length} events but ${messages.length} outbox rows`);
        }
        // A valid path through the state machine, versions 1..n, ending where the row is.
        let status: BookingStatus | null = null;
        let offeredTo: string | null = null;
        let driver: string | null = null;
        history.forEach((e, i) => {
          const at = `${tag} v${e.version} ${e.event}`;
          if (e.version !== i + 1) out.push(`${at}: expected version ${i + 1}`);
          if (e.fromStatus !== status) out.push(`${at}: from ${e.fromStatus}, but the booking was ${status}`);
          if (i === 0) {
            if (
              e.fromStatus !== null ||
              !['requested', 'scheduled'].includes(e.event) ||
              e.toStatus !== e.event
            ) {
              out.push(`${at}: a booking must start requested or scheduled`);
            }
          } else if (e.event === 'escalated') {
            if (e.toStatus !== status) out.push(`${at}: escalation changed the status`);
          } else {
            try {
              const to = nextBookingStatus(status!, e.event as BookingEvent, e.actor as BookingActor);
              if (to !== e.toStatus) out.push(`${at}: went to ${e.toStatus}, the machine says ${to}`);
            } catch (error) {
              out.push(`${at}: not allowed from ${status} by ${e.actor} (${String(error)})`);
            }
          }
          const sent = byVersion.get(e.version) ?? [];
          if (sent.length !== 1) out.push(`${at}: ${sent.length} outbox rows for this version`);
          const m = sent[0];
          if (m && (m.event !== e.event || m.status !== e.toStatus || m.previous !== e.fromStatus)) {
            out.push(`${at}: the outbox message says ${m.previous}→${m.event}→${m.status}`);
          }
          // Who is bound: only the driver the offer rang for answers it; only the bound driver acts.
          if (e.event === 'offer_accepted' || e.event === 'offer_declined') {
            if (e.actorId !== offeredTo) out.push(`${at}: by ${e.actorId}, but offered to ${offeredTo}`);
          } else if (e.actor === 'driver' && e.actorId !== driver) {
            out.push(`${at}: by driver ${e.actorId}, but the trip is ${driver}'s`);
          }
          if (e.event === 'offer') offeredTo = m?.offeredDriverId ?? null;
          if (e.event === 'offer_accepted') driver = e.actorId;
          if (e.toStatus === 'searching') driver = null;
          if (m && m.driverId !== driver)
            out.push(`${at}: the message names driver ${m.driverId}, not ${driver}`);
          status = e.toStatus as BookingStatus;
        });
        if (history.length !== b.version)
          out.push(`${tag}: version ${b.version} but ${history.length} events`);
        if (status !== b.status) out.push(`${tag}: is ${b.status} but its history ends ${status}`);
        if (b.driverId !== driver) out.push(`${tag}: driver ${b.driverId}, its history says ${driver}`);
        if (attached.includes(b.status) && !b.driverId) out.push(`${tag}: ${b.status} without a driver`);
        if ((b.status === 'offered') !== (b.offeredDriverId !== null))
          out.push(`${tag}: offer column inconsistent`);
      }

      // Each driver's availability is a valid path (one outbox event per change) and mirrors their bookings.
      const driverRows = scope.driverIds.length
        ? await tx.select().from(drivers).where(inArray(drivers.userId, scope.driverIds))
        : [];
      const driverMessages = await outboxFor('driverEvents', scope.driverIds);
      const heartbeats = scope.driverIds.length
        ? await tx
            .select()
            .from(availabilityChanges)
            .where(
              and(
                inArray(availabilityChanges.driverId, scope.driverIds),
                eq(availabilityChanges.event, 'heartbeat_lost'),
              ),
            )
        : [];
      for (const d of driverRows) {
        const tag = `driver ${d.userId.slice(0, 8)}`;
        const chain = driverMessages
          .filter((o) => o.key === d.userId)
          .map((o) => driverStateEventSchema.parse(o.payload))
          .sort((a, b) => a.version - b.version);
        let state: AvailabilityState = 'offline';
        chain.forEach((m, i) => {
          if (m.version !== i + 1) out.push(`${tag}: availability version ${m.version} at position ${i + 1}`);
          if (m.previous !== state) out.push(`${tag} v${m.version}: from ${m.previous}, but was ${state}`);
          try {
            if (nextAvailability(m.previous, m.event) !== m.state)
              out.push(`${tag} v${m.version}: wrong target`);
          } catch {
            out.push(`${tag} v${m.version}: ${m.event} not allowed from ${m.previous}`);
          }
          state = m.state;
        });
        if (state !== d.availability || chain.length !== d.availabilityVersion) {
          out.push(
            `${tag}: is ${d.availability} v${d.availabilityVersion}, its events say ${state} v${chain.length}`,
          );
        }
        const mine = all.filter((b) => b.driverId === d.userId);
        const enRoute = mine.filter((b) => b.status === 'accepted' || b.status === 'arrived').length;
        const onTrip = mine.filter((b) => b.status === 'in_progress').length;
        const offers = all.filter((b) => b.status === 'offered' && b.offeredDriverId === d.userId);
        if ((d.availability === 'en_route') !== (enRoute === 1))
          out.push(`${tag}: ${d.availability} with ${enRoute} trips to pickup`);
        if ((d.availability === 'on_trip') !== (onTrip === 1))
          out.push(`${tag}: ${d.availability} with ${onTrip} trips under way`);
        if (d.availability === 'offered' && offers.length !== 1)
          out.push(`${tag}: offered, but ${offers.length} offers ring`);
        // An offer rings only for a driver who is being offered it, unless they vanished meanwhile
        // (heartbeat lost while it rang: they went offline; the booking moves on at the offer's expiry).
        for (const b of offers) {
          const vanished = heartbeats.some(
            (h) =>
              h.driverId === d.userId && h.fromState === 'offered' && h.at.getTime() >= b.updatedAt.getTime(),
          );
          if (d.availability !== 'offered' && !vanished)
            out.push(`${tag}: ${d.availability}, yet booking ${b.id.slice(0, 8)} is offered to them`);
          if (d.availability === 'en_route' || d.availability === 'on_trip')
            out.push(`${tag}: on a trip with an offer ringing`);
        }
      }
      return out;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
