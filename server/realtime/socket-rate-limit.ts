import { decide, type RateLimit } from '@/domain/rate-limits';
import type { AckError } from '@/domain/realtime-contract';
import type { SocketData } from './types';

/**
 * Counts one `event` against its per-connection limit (domain/rate-limits.ts): over the limit,
 * the RATE_LIMITED answer with when to retry; otherwise null. Counted in the socket's own data:
 * a socket lives on one instance, so nothing needs sharing.
 */
export function overLimit(
  data: SocketData,
  event: string,
  limit: RateLimit,
  now: number,
): { ok: false; error: AckError } | null {
  data.rate ??= {};
  const counters = data.rate;
  let window = counters[event];
  if (!window || now - window.windowStart >= limit.windowMs) {
    window = { windowStart: now, count: 0 };
    counters[event] = window;
  }
  window.count++;
  const decision = decide(limit, window.count, window.windowStart + limit.windowMs - now);
  if (decision.allowed) return null;
  return {
    ok: false,
    error: {
      code: 'RATE_LIMITED',
      message: `Too many ${event} messages; try again in ${decision.retryAfterS} s`,
      retryAfterS: decision.retryAfterS,
    },
  };
}
