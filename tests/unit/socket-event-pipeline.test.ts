import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '@/domain/errors';
import { createLogger } from '@/server/infra/logger';
import { defineSocketEvent } from '@/server/realtime/socket-event';
import { SocketEventPipeline } from '@/server/realtime/socket-pipeline';
import type { RealtimeSocket, SocketPrincipal } from '@/server/realtime/types';

const bookingId = '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const settle = () => new Promise((resolve) => setImmediate(resolve));

function world(handle: (input: { bookingId: string }) => Promise<{ room: string }>) {
  let now = 1_000_000;
  const logs: string[] = [];
  const outcomes: string[] = [];
  const pipeline = new SocketEventPipeline({
    now: () => now,
    logger: createLogger(
      'test',
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    ),
    onOutcome: (event, outcome) => outcomes.push(`${event} ${outcome}`),
  });
  const listener = defineSocketEvent({
    event: 'booking:watch',
    roles: ['rider', 'dispatcher'],
    forbidden: 'Riders and dispatchers only',
    schema: z.object({ bookingId: z.uuid() }),
    rateLimit: { limit: 2, windowMs: 60_000 },
    unavailable: 'Not now; try again',
    handle,
  }).listen(pipeline);
  const socketOf = (role: SocketPrincipal['role']) =>
    ({
      data: { principal: { userId: 'u1', role, sessionId: 's1', expiresAt: now + 60_000 } },
    }) as unknown as RealtimeSocket;
  const send = (socket: RealtimeSocket, payload: unknown) => {
    const acks: unknown[] = [];
    listener.call(socket, payload, (answer: unknown) => acks.push(answer));
    return acks;
  };
  return { pipeline, listener, socketOf, send, logs, outcomes, advance: (ms: number) => (now += ms) };
}

describe('socket event pipeline', () => {
  it('answers with the use case’s result, after checking role and payload', async () => {
    const w = world(async ({ bookingId }) => ({ room: `booking:${bookingId}` }));
    const acks = w.send(w.socketOf('rider'), { bookingId });
    await settle();
    expect(acks).toEqual([{ ok: true, room: `booking:${bookingId}` }]);
    expect(w.outcomes).toEqual(['booking:watch ok']);
  });

  it('refuses other roles and bad payloads without calling the use case', async () => {
    let calls = 0;
    const w = world(async () => {
      calls++;
      return { room: 'x' };
    });
    const forbidden = w.send(w.socketOf('driver'), { bookingId: 'not even checked' });
    const invalid = w.send(w.socketOf('rider'), { bookingId: 'nope' });
    await settle();
    expect(forbidden).toEqual([
      { ok: false, error: { code: 'FORBIDDEN', message: 'Riders and dispatchers only' } },
    ]);
    expect(invalid).toEqual([
      {
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^bookingId: /), field: 'bookingId' },
      },
    ]);
    expect(calls).toBe(0);
    expect(w.outcomes).toEqual(['booking:watch FORBIDDEN', 'booking:watch INVALID_INPUT']);
  });

  it('maps a DomainError to its ack, and anything else to UNAVAILABLE without its details', async () => {
    const w = world(async () => {
      throw new DomainError('NOT_FOUND', 'Booking not found', { field: 'bookingId' });
    });
    const notFound = w.send(w.socketOf('rider'), { bookingId });
    const broken = world(async () => {
      throw new Error('connection to 10.0.0.7 refused');
    });
    const unavailable = broken.send(broken.socketOf('rider'), { bookingId });
    await settle();
    expect(notFound).toEqual([
      { ok: false, error: { code: 'NOT_FOUND', message: 'Booking not found', field: 'bookingId' } },
    ]);
    expect(unavailable).toEqual([
      { ok: false, error: { code: 'UNAVAILABLE', message: 'Not now; try again' } },
    ]);
    expect(broken.logs.join('')).toContain('10.0.0.7');
  });

  it('counts every message against the socket’s limit, with or without an ack, per window', async () => {
    const w = world(async () => ({ room: 'x' }));
    const socket = w.socketOf('rider');
    w.listener.call(socket, { bookingId }, undefined);
    w.send(socket, { bookingId });
    const limited = w.send(socket, { bookingId });
    expect(limited).toEqual([
      {
        ok: false,
        error: {
          code: 'RATE_LIMITED',
          message: 'Too many booking:watch messages; try again in 60 s',
          retryAfterS: 60,
        },
      },
    ]);
    w.advance(60_000);
    const again = w.send(socket, { bookingId });
    await settle();
    expect(again).toEqual([{ ok: true, room: 'x' }]);
    expect(w.outcomes.filter((o) => o.endsWith('RATE_LIMITED'))).toHaveLength(1);
  });

  it('while draining, answers what it took and refuses what arrives', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const w = world(async () => {
      await gate;
      return { room: 'x' };
    });
    const taken = w.send(w.socketOf('rider'), { bookingId });
    let drained = false;
    const draining = w.pipeline.drain(0, 10_000).then(() => {
      drained = true;
    });
    expect(w.pipeline.draining).toBe(true);
    const late = w.send(w.socketOf('rider'), { bookingId });
    expect(late).toEqual([
      {
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'This server is restarting; send again once reconnected' },
      },
    ]);
    await settle();
    expect(drained).toBe(false);
    release();
    await draining;
    expect(taken).toEqual([{ ok: true, room: 'x' }]);
  });
});
