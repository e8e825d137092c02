import { decide, type SocketEventName, socketEventLimits } from '@/domain/rate-limits';
import type { RealtimeSocket } from './types';

type Handler = (this: RealtimeSocket, payload: unknown, ack: unknown) => unknown;

/**
 * Wraps a socket event handler with its per-connection limit (domain/rate-limits.ts). Over the
 * limit the event is not handled and the ack says RATE_LIMITED with when to retry. Counted in the
 * socket's own data: a socket lives on one instance, so nothing needs sharing.
 */
export function rateLimited(
  event: SocketEventName,
  handler: Handler,
  now: () => number,
  onLimited?: (event: SocketEventName) => void,
): Handler {
  const limit = socketEventLimits[event];
  return function (this: RealtimeSocket, payload: unknown, ack: unknown) {
    const t = now();
    this.data.rate ??= {};
    const counters = this.data.rate;
    let window = counters[event];
    if (!window || t - window.windowStart >= limit.windowMs) {
      window = { windowStart: t, count: 0 };
      counters[event] = window;
    }
    window.count++;
    const decision = decide(limit, window.count, window.windowStart + limit.windowMs - t);
    if (decision.allowed) return handler.call(this, payload, ack);
    onLimited?.(event);
    if (typeof ack === 'function') {
      ack({
        ok: false,
        error: {
          code: 'RATE_LIMITED',
          message: `Too many ${event} messages; try again in ${decision.retryAfterS} s`,
          retryAfterS: decision.retryAfterS,
        },
      });
    }
  };
}
