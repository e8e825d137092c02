import { DomainError } from './errors';

/**
 * Availability of one driver. `stale` is not a state: it is derived from the age of the last
 * ping (see `presenceOf`), because it changes with the clock, not with an event.
 */
export const availabilityStates = [
  'offline',
  'available',
  'paused',
  'offered',
  'en_route',
  'on_trip',
] as const;
export type AvailabilityState = (typeof availabilityStates)[number];

export const availabilityEvents = [
  'go_online',
  'go_offline',
  'pause',
  'resume',
  'offer_sent',
  'offer_declined',
  'offer_expired',
  'offer_withdrawn',
  'offer_accepted',
  'trip_started',
  'trip_completed',
  'trip_cancelled',
  'heartbeat_lost',
] as const;
export type AvailabilityEvent = (typeof availabilityEvents)[number];

/** Who changes a driver's availability: the driver, the system (offers, heartbeats) or a dispatcher. */
export const availabilityActors = ['driver', 'system', 'dispatch'] as const;

/** Events a driver may trigger from the app; the rest come from dispatch or the system. */
export const driverEvents: readonly AvailabilityEvent[] = ['go_online', 'go_offline', 'pause', 'resume'];

const table: Record<AvailabilityState, Partial<Record<AvailabilityEvent, AvailabilityState>>> = {
  offline: { go_online: 'available' },
  available: { go_offline: 'offline', pause: 'paused', offer_sent: 'offered', heartbeat_lost: 'offline' },
  paused: { go_offline: 'offline', resume: 'available', heartbeat_lost: 'offline' },
  offered: {
    offer_declined: 'available',
    offer_expired: 'available',
    // The rider cancelled while the offer was ringing.
    offer_withdrawn: 'available',
    offer_accepted: 'en_route',
    // A driver who vanishes while an offer rings loses the offer and goes offline.
    heartbeat_lost: 'offline',
  },
  // During a trip the driver is busy, not gone: a lost heartbeat is flagged, never a transition.
  en_route: { trip_started: 'on_trip', trip_cancelled: 'available' },
  on_trip: { trip_completed: 'available', trip_cancelled: 'available' },
};

export function nextAvailability(from: AvailabilityState, event: AvailabilityEvent): AvailabilityState {
  const to = table[from][event];
  if (!to) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `A driver who is ${from} cannot ${event.replaceAll('_', ' ')}`,
      {
        from,
        event,
      },
    );
  }
  return to;
}

export function canApply(from: AvailabilityState, event: AvailabilityEvent): boolean {
  return table[from][event] !== undefined;
}

/** Events allowed from `from`: the driver app shows only buttons that can work. */
export function allowedEvents(from: AvailabilityState): AvailabilityEvent[] {
  return Object.keys(table[from]) as AvailabilityEvent[];
}

export const isOnline = (state: AvailabilityState) => state !== 'offline';

/** Who dispatch may offer a trip to. */
export const isDispatchable = (state: AvailabilityState) => state === 'available';

export interface PresencePolicy {
  /** No ping for this long: hidden from dispatch, flagged on the map. */
  staleAfterMs: number;
  /** No ping for this long: taken offline by the presence sweep. */
  offlineAfterMs: number;
}

export const defaultPresencePolicy: PresencePolicy = { staleAfterMs: 30_000, offlineAfterMs: 120_000 };

export type Presence = 'live' | 'stale' | 'lost';

export function presenceOf(
  lastSeenMs: number,
  nowMs: number,
  policy: PresencePolicy = defaultPresencePolicy,
): Presence {
  const age = nowMs - lastSeenMs;
  if (age >= policy.offlineAfterMs) return 'lost';
  if (age >= policy.staleAfterMs) return 'stale';
  return 'live';
}
