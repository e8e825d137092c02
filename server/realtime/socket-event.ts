import type { z } from 'zod';
import type { RateLimit } from '@/domain/rate-limits';
import type { Ack, ClientToServerEvents } from '@/domain/realtime-contract';
import type { RealtimeSocket, SocketPrincipal } from './types';

export type ClientEvent = keyof ClientToServerEvents;
export type SocketRole = SocketPrincipal['role'];
/** What a client sends with an event (the contract's first argument). */
export type EventPayload<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
/** What the event's ack carries besides `ok: true`. */
export type EventResult<E extends ClientEvent> = ClientToServerEvents[E] extends (
  payload: never,
  ack: (result: Ack<infer R>) => void,
) => void
  ? R
  : never;

/** The sender of an event that passed the role check: its role is one of the event's. */
export interface Sender<R extends SocketRole> {
  socket: RealtimeSocket;
  principal: SocketPrincipal & { role: R };
}

/** One client → server event, declared once; the pipeline (socket-pipeline.ts) runs it. */
export interface SocketEventDefinition<E extends ClientEvent, R extends SocketRole> {
  event: E;
  /** Who may send it; anyone else is answered FORBIDDEN with `forbidden`. */
  roles: readonly R[];
  forbidden: string;
  /** The payload's contract; a failure is answered INVALID_INPUT naming the field. */
  schema: z.ZodType<EventPayload<E>>;
  /** Per connection (domain/rate-limits.ts). */
  rateLimit: RateLimit;
  /** What the client is told when `handle` fails with anything but a DomainError. */
  unavailable?: string;
  /** Calls the use case; the result is the ack, a DomainError its refusal. */
  handle(input: EventPayload<E>, sender: Sender<R>): Promise<EventResult<E>>;
}

/** What runs definitions: the pipeline, seen from here (it is generic in the event's types). */
export interface SocketEventRunner {
  listener<E extends ClientEvent, R extends SocketRole>(
    definition: SocketEventDefinition<E, R>,
  ): SocketListener;
}

/** Bound to each socket as `this`: one function per event and server, not per connection. */
export type SocketListener = (this: RealtimeSocket, payload: unknown, ack: unknown) => void;

/** A definition whose types were checked against the contract, ready for any socket. */
export interface SocketEvent {
  readonly event: ClientEvent;
  listen(runner: SocketEventRunner): SocketListener;
}

/**
 * Declares an event: its payload schema and result are checked against the typed contract
 * (domain/realtime-contract.ts) here, so the events can then be listed and registered together.
 */
export function defineSocketEvent<E extends ClientEvent, R extends SocketRole>(
  definition: SocketEventDefinition<E, R>,
): SocketEvent {
  return { event: definition.event, listen: (runner) => runner.listener(definition) };
}
