import { describe, expect, it } from 'vitest';
import {
  activeWithDriver,
  type BookingActor,
  type BookingEvent,
  type BookingStatus,
  bookingEvents,
  bookingStatuses,
  canApplyBookingEvent,
  isTerminal,
  nextBookingStatus,
} from '@/domain/booking';
import { DomainError } from '@/domain/errors';
import { allowedTransitions as allowed, bookingActors, specActors, specRule } from './support/booking-spec';

function outcome(from: BookingStatus, event: BookingEvent, actor: BookingActor) {
  try {
    return { to: nextBookingStatus(from, event, actor) };
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return { error: error as DomainError };
  }
}

describe('booking state machine', () => {
  it('takes a booking from request to completion', () => {
    const path: [BookingEvent, BookingActor][] = [
      ['dispatch', 'system'],
      ['offer', 'system'],
      ['offer_accepted', 'driver'],
      ['driver_arrived', 'driver'],
      ['trip_started', 'driver'],
      ['trip_completed', 'driver'],
    ];
    let status: BookingStatus = 'requested';
    const seen: BookingStatus[] = [status];
    for (const [event, actor] of path) {
      status = nextBookingStatus(status, event, actor);
      seen.push(status);
    }
    expect(seen.join(' → ')).toBe(
      'requested → searching → offered → accepted → arrived → in_progress → completed',
    );
  });

  it('allows exactly the listed transitions, for exactly the listed actors (all 480 combinations)', () => {
    let checked = 0;
    for (const from of bookingStatuses) {
      for (const event of bookingEvents) {
        const expected = specRule(from, event);
        expect(canApplyBookingEvent(from, event)).toBe(expected !== undefined);
        for (const actor of bookingActors) {
          checked++;
          const got = outcome(from, event, actor);
          if (!specActors(event).has(actor)) {
            // Who may act is checked first, whatever the state.
            expect(got.error?.code, `${actor} ${event} from ${from}`).toBe('FORBIDDEN');
          } else if (!expected) {
            expect(got.error?.code, `${actor} ${event} from ${from}`).toBe('INVALID_TRANSITION');
            expect(got.error?.details).toEqual({ from, event });
          } else if (expected[3].includes(actor)) {
            expect(got, `${actor} ${event} from ${from}`).toEqual({ to: expected[2] });
          } else {
            expect.unreachable(`${event} has one actor list for all its sources`);
          }
        }
      }
    }
    expect(checked).toBe(bookingStatuses.length * bookingEvents.length * bookingActors.length);
  });

  it('never leaves a terminal state, whoever asks', () => {
    expect(bookingStatuses.filter(isTerminal)).toEqual(['completed', 'cancelled', 'no_driver_found']);
    for (const from of bookingStatuses.filter(isTerminal)) {
      for (const event of bookingEvents) {
        expect(canApplyBookingEvent(from, event)).toBe(false);
        for (const actor of bookingActors) expect(outcome(from, event, actor).error).toBeDefined();
      }
    }
  });

  it('reaches every status from a new booking, and ends every path in a terminal status', () => {
    const reachable = new Set<BookingStatus>(['requested', 'scheduled']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [from, , to] of allowed) {
        if (reachable.has(from) && !reachable.has(to)) {
          reachable.add(to);
          grew = true;
        }
      }
    }
    expect([...reachable].sort()).toEqual([...bookingStatuses].sort());
    for (const status of bookingStatuses) {
      if (!isTerminal(status)) expect(allowed.some(([f]) => f === status)).toBe(true);
    }
  });

  it('enters a status with a driver only by an accepted offer or from another such status', () => {
    const withDriver = new Set<BookingStatus>([...activeWithDriver, 'completed']);
    expect(activeWithDriver).toEqual(['accepted', 'arrived', 'in_progress']);
    for (const from of bookingStatuses) {
      for (const event of bookingEvents) {
        if (!canApplyBookingEvent(from, event)) continue;
        const to = specRule(from, event)![2];
        if (withDriver.has(to) && !withDriver.has(from))
          expect([from, event]).toEqual(['offered', 'offer_accepted']);
      }
    }
  });

  it('explains a refusal in words', () => {
    expect(() => nextBookingStatus('in_progress', 'rider_cancelled', 'rider')).toThrow(
      'A booking that is in progress cannot be rider cancelled',
    );
    expect(() => nextBookingStatus('offered', 'offer_accepted', 'rider')).toThrow(
      'A rider cannot offer accepted',
    );
    expect(() => nextBookingStatus('no_driver_found', 'no_driver', 'system')).toThrow(
      'A booking that is no driver found cannot be no driver',
    );
  });
});
