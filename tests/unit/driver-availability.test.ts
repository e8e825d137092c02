import { describe, expect, it } from 'vitest';
import {
  allowedEvents,
  availabilityEvents,
  availabilityStates,
  canApply,
  nextAvailability,
  presenceOf,
} from '@/domain/driver-availability';
import { DomainError } from '@/domain/errors';

describe('driver availability state machine', () => {
  it('takes a driver through a whole shift', () => {
    let s = nextAvailability('offline', 'go_online');
    expect(s).toBe('available');
    s = nextAvailability(s, 'offer_sent');
    expect(s).toBe('offered');
    s = nextAvailability(s, 'offer_accepted');
    expect(s).toBe('en_route');
    s = nextAvailability(s, 'trip_started');
    expect(s).toBe('on_trip');
    s = nextAvailability(s, 'trip_completed');
    expect(s).toBe('available');
    s = nextAvailability(s, 'pause');
    expect(s).toBe('paused');
    s = nextAvailability(s, 'go_offline');
    expect(s).toBe('offline');
  });

  it('refuses impossible transitions with a DomainError naming both sides', () => {
    expect(() => nextAvailability('offline', 'go_offline')).toThrow(DomainError);
    try {
      nextAvailability('on_trip', 'go_offline');
    } catch (error) {
      expect((error as DomainError).code).toBe('INVALID_TRANSITION');
      expect((error as DomainError).message).toContain('on_trip');
    }
  });

  it('never lets a lost heartbeat end a trip in progress', () => {
    expect(canApply('en_route', 'heartbeat_lost')).toBe(false);
    expect(canApply('on_trip', 'heartbeat_lost')).toBe(false);
    expect(nextAvailability('offered', 'heartbeat_lost')).toBe('offline');
  });

  it('agrees between canApply, allowedEvents and nextAvailability for every pair', () => {
    for (const from of availabilityStates) {
      const allowed = allowedEvents(from);
      for (const event of availabilityEvents) {
        expect(canApply(from, event)).toBe(allowed.includes(event));
        if (allowed.includes(event)) expect(availabilityStates).toContain(nextAvailability(from, event));
        else expect(() => nextAvailability(from, event)).toThrow(DomainError);
      }
    }
  });

  it('derives presence from the age of the last ping', () => {
    const policy = { staleAfterMs: 30_000, offlineAfterMs: 120_000 };
    expect(presenceOf(1_000, 1_000 + 29_999, policy)).toBe('live');
    expect(presenceOf(1_000, 1_000 + 30_000, policy)).toBe('stale');
    expect(presenceOf(1_000, 1_000 + 120_000, policy)).toBe('lost');
  });
});
