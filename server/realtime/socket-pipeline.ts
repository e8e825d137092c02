import type { ErrorCode } from '@/domain/errors';
import type { Ack } from '@/domain/realtime-contract';
import type { Logger } from '../infra/logger';
import { domainRefusal, fail, invalid } from './ack';
import type {
  ClientEvent,
  EventResult,
  Sender,
  SocketEventDefinition,
  SocketEventRunner,
  SocketListener,
  SocketRole,
} from './socket-event';
import { overLimit } from './socket-rate-limit';
import type { RealtimeSocket, SocketPrincipal } from './types';

export interface SocketPipelineDeps {
  now: () => number;
  logger: Logger;
  /** Every event answered (`ok` or the refusal's code) or refused by its rate limit, for metrics. */
  onOutcome?: (event: ClientEvent, outcome: 'ok' | ErrorCode) => void;
}

const defaultUnavailable = 'This could not be done right now; try again';

/**
 * The one way a client → server event is handled: refused while the server shuts down, counted
 * against its per-socket limit, role-checked, parsed, handed to its use case, and answered with
 * the result or a refusal (a DomainError mapped once, here; other failures logged, never shown).
 */
export class SocketEventPipeline implements SocketEventRunner {
  private closing = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: SocketPipelineDeps) {}

  /** True once `drain` was called: the server is shutting down. */
  get draining(): boolean {
    return this.closing;
  }

  listener<E extends ClientEvent, R extends SocketRole>(
    definition: SocketEventDefinition<E, R>,
  ): SocketListener {
    const pipeline = this;
    return function (this: RealtimeSocket, payload: unknown, ack: unknown) {
      // Shutdown (T19): what arrives once it started is refused at once, so the client re-sends
      // it elsewhere; what is being handled is still answered (`drain`).
      if (pipeline.closing) {
        if (typeof ack === 'function')
          ack(fail('UNAVAILABLE', 'This server is restarting; send again once reconnected'));
        return;
      }
      const limited = overLimit(this.data, definition.event, definition.rateLimit, pipeline.deps.now());
      if (limited) {
        pipeline.deps.onOutcome?.(definition.event, 'RATE_LIMITED');
        if (typeof ack === 'function') ack(limited);
        return;
      }
      if (typeof ack !== 'function') return;
      const answered = pipeline.answer(definition, this, payload).then((result) => {
        ack(result);
        pipeline.deps.onOutcome?.(definition.event, result.ok ? 'ok' : result.error.code);
      });
      pipeline.inFlight.add(answered);
      const done = () => pipeline.inFlight.delete(answered);
      answered.then(done, done);
    };
  }

  /**
   * Refuses every event from now on. Resolves once the events being handled were answered and
   * `graceMs` passed (a round trip: what clients sent before they heard of the shutdown is
   * refused, so they re-send it elsewhere), or after `maxMs` whatever is still running.
   */
  async drain(graceMs: number, maxMs: number): Promise<void> {
    this.closing = true;
    const grace = new Promise((resolve) => setTimeout(resolve, graceMs));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([Promise.allSettled([...this.inFlight]), grace]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, maxMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private async answer<E extends ClientEvent, R extends SocketRole>(
    definition: SocketEventDefinition<E, R>,
    socket: RealtimeSocket,
    payload: unknown,
  ): Promise<Ack<EventResult<E>>> {
    const { principal } = socket.data;
    if (!hasRole(principal, definition.roles)) return fail('FORBIDDEN', definition.forbidden);
    const parsed = definition.schema.safeParse(payload);
    if (!parsed.success) return invalid(parsed.error);
    const sender: Sender<R> = { socket, principal };
    try {
      const result = await definition.handle(parsed.data, sender);
      const ok: { ok: true } = { ok: true };
      return Object.assign(ok, result);
    } catch (error) {
      const refusal = domainRefusal(error);
      if (refusal) return refusal;
      this.deps.logger.warn(
        { err: error, event: definition.event, user: principal.userId },
        'socket event failed',
      );
      return fail('UNAVAILABLE', definition.unavailable ?? defaultUnavailable);
    }
  }
}

function hasRole<R extends SocketRole>(
  principal: SocketPrincipal,
  roles: readonly R[],
): principal is SocketPrincipal & { role: R } {
  return roles.some((role) => role === principal.role);
}
