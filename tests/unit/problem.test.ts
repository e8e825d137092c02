import { Writable } from 'node:stream';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError, errorCodes } from '@/domain/errors';
import { mappedTrpcError } from '@/server/trpc/errors';
import { failureResponse, httpOf, problemOf, problemResponse } from '@/server/web/problem';

const statuses = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** A driver error as pg raises it when the database is not there (the address must not leak). */
const refusedConnection = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.0.4.7:5432'), { code: 'ECONNREFUSED' });

async function bodyOf(response: Response) {
  return (await response.json()) as { error: Record<string, unknown> };
}

describe('problem mapper', () => {
  it.each(errorCodes)('answers %s with its status, tRPC agreeing', (code) => {
    const problem = problemOf(new DomainError(code, 'why', { field: 'pickup.lat' }));
    expect(problem).toMatchObject({ status: statuses[code], code, message: 'why', field: 'pickup.lat' });
    // The tRPC door answers the same status, under the name the REST door uses.
    const trpc = mappedTrpcError(new DomainError(code, 'why'))!;
    expect(trpc.code).toBe(httpOf[code].name);
    expect(getHTTPStatusCodeFromError(trpc)).toBe(statuses[code]);
  });

  it('answers invalid input 400, naming every field at fault', async () => {
    const parsed = z.object({ from: z.string(), to: z.number() }).safeParse({ to: 'x' });
    const problem = problemOf(parsed.error);
    expect(problem).toMatchObject({ status: 400, code: 'INVALID_INPUT', field: 'from' });
    expect(problem.message).toMatch(/^from: /);
    expect(problem.issues?.map((i) => i.field)).toEqual(['from', 'to']);
    expect((await bodyOf(problemResponse(problem, 'http'))).error).toMatchObject({
      code: 'BAD_REQUEST',
      field: 'from',
      issues: [{ field: 'from' }, { field: 'to' }],
    });
  });

  it('answers an outage anywhere in the cause chain 503 with Retry-After, saying nothing of it', async () => {
    const error = new Error('query failed', { cause: refusedConnection() });
    const response = problemResponse(problemOf(error));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const text = await response.text();
    expect(JSON.parse(text).error).toMatchObject({ code: 'UNAVAILABLE', message: /briefly unavailable/ });
    expect(text).not.toContain('10.0.4.7');
    expect(mappedTrpcError(error)?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('answers anything else 500 without internals; tRPC keeps it for its own 500', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'fare') at /srv/app/pricing.ts");
    const response = problemResponse(problemOf(bug), 'http');
    expect(response.status).toBe(500);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(JSON.parse(text).error).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Something went wrong on our side',
      field: null,
    });
    expect(text).not.toMatch(/fare|srv/);
    expect(mappedTrpcError(bug)).toBeNull();
    expect(mappedTrpcError(new TRPCError({ code: 'FORBIDDEN', message: 'no' }))).toBeNull();
  });

  it('carries a rate limit’s wait as Retry-After and names it by the DomainError code for plain routes', async () => {
    const limited = new DomainError('RATE_LIMITED', 'Too many requests', { retryAfterS: 17 });
    const response = problemResponse(problemOf(limited));
    expect([response.status, response.headers.get('retry-after')]).toEqual([429, '17']);
    expect((await bodyOf(response)).error).toEqual({
      code: 'RATE_LIMITED',
      message: 'Too many requests',
      field: null,
    });
  });

  it('logs what is on our side (outage: warn, bug: error), never the caller’s refusals', () => {
    const lines: { level: number; msg: string; route: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    const route = { route: 'test' };
    expect(failureResponse(new DomainError('NOT_FOUND', 'gone'), logger, route).status).toBe(404);
    expect(failureResponse(z.string().safeParse(1).error, logger, route).status).toBe(400);
    expect(failureResponse(refusedConnection(), logger, route).status).toBe(503);
    expect(failureResponse(new Error('bug'), logger, route).status).toBe(500);
    expect(lines.map((l) => [l.level, l.msg, l.route])).toEqual([
      [40, 'dependency unavailable', 'test'],
      [50, 'request failed', 'test'],
    ]);
  });
});
