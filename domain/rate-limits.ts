/**
 * Every rate limit of the platform, in one table (README "Limits" lists the same numbers).
 * Fixed windows: `limit` actions per `windowMs` per key. Fixed windows are exact under concurrency
 * (one atomic counter per key and window), which is what T15 checks; the price is that a client
 * can spend two windows' worth across a boundary, acceptable for these limits.
 */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export const rateLimits = {
  /** Password guesses per account, whatever the source. */
  signInPerAccount: { limit: 10, windowMs: 15 * 60_000 },
  /** Sign-in attempts per client address, over all accounts. */
  signInPerIp: { limit: 50, windowMs: 15 * 60_000 },
  /** New rider accounts per client address. */
  signUp: { limit: 5, windowMs: 60 * 60_000 },
  /** Quotes per rider. A rider adjusting pickup and drop-off quotes often, but not this often. */
  quote: { limit: 60, windowMs: 60_000 },
  /** Booking attempts per rider (replays with the same key count too). */
  bookingCreate: { limit: 10, windowMs: 60_000 },
  /** Any other mutation per user. */
  mutation: { limit: 120, windowMs: 60_000 },
  /** Queries per user (a dispatcher's board and map refresh often). */
  query: { limit: 600, windowMs: 60_000 },
} as const satisfies Record<string, RateLimit>;

export type RateLimitName = keyof typeof rateLimits;

/**
 * Socket events per connection, counted by the realtime instance holding the socket (a socket
 * lives on one instance, so no shared store is needed). A phone sends a batch every 4 s and
 * re-sends its queue after a reconnect; a gateway relays for up to 100 drivers per message.
 */
export const socketEventLimits = {
  'location:batch': { limit: 120, windowMs: 60_000 },
  'location:gateway-batch': { limit: 12_000, windowMs: 60_000 },
  'location:gateway-frame': { limit: 12_000, windowMs: 60_000 },
  'ops:watch': { limit: 240, windowMs: 60_000 },
  'booking:watch': { limit: 60, windowMs: 60_000 },
} as const satisfies Record<string, RateLimit>;

export type SocketEventName = keyof typeof socketEventLimits;

export interface RateDecision {
  allowed: boolean;
  /** Actions counted in this window, including this one. */
  count: number;
  /** Seconds until the window resets (for Retry-After), at least 1. */
  retryAfterS: number;
}

/** The decision for the `count`-th action of a window with `remainingMs` left. */
export function decide(limit: RateLimit, count: number, remainingMs: number): RateDecision {
  return {
    allowed: count <= limit.limit,
    count,
    retryAfterS: Math.max(1, Math.ceil(remainingMs / 1000)),
  };
}
