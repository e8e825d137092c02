import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runMigrations } from '@/db/migrate';
import { bullDispatchQueue } from '@/server/adapters/dispatch-queue';
import { loadEnv, webEnvSchema } from '@/server/env';
import { reconcileDispatch } from '@/server/services/booking/dispatch-scheduled';
import { saveSetting } from '@/server/services/platform/settings';
import { createWebDeps, type WebDeps } from '@/server/web/deps';
import { away, centre } from './support/booking-helpers';
import { createUser, ensureVehicleTypes } from './support/fixtures';
import { ready } from './support/harness';
import { type OwnPostgres, startOwnPostgres } from './support/own-postgres';
import { type OwnRedis, startOwnRedis } from './support/redis-server';
import { type HttpAnswer, httpCall, sessionIn } from './support/trpc';

/**
 * What the web process does when Redis or PostgreSQL goes away (docs/operations.md, "Failure
 * behaviour"): no request hangs and none answers 500. Redis down: quotes are priced without surge,
 * bookings are still taken (dispatch waits for the reconciler), reads that need Redis answer 503
 * at once. PostgreSQL down: 503 with Retry-After. Both: service resumes by itself when they return.
 * Both services are private instances this test starts and kills.
 */
let pgServer: OwnPostgres;
let redis: OwnRedis;
let deps: WebDeps;

beforeAll(async () => {
  [pgServer, redis] = await Promise.all([startOwnPostgres(), startOwnRedis()]);
  await runMigrations(pgServer.url);
  const env = loadEnv(webEnvSchema, {
    APP_ENV: 'test',
    DATABASE_URL: pgServer.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: 'outage',
    QUOTE_SECRET: randomBytes(32).toString('hex'),
  });
  deps = createWebDeps(env, pino({ level: 'silent' }));
  await ensureVehicleTypes(deps.db);
  // A schedule window that lets this test book ahead without waiting.
  await saveSetting(deps.db, 'schedule', { minLeadMs: 60_000 }, Date.now());
}, 120_000);

afterAll(async () => {
  await deps?.dispatch.close();
  deps?.redis.disconnect();
  await deps?.postgres.pool.end().catch(() => undefined);
  await Promise.all([pgServer?.stop(), redis?.stop()]);
});

const trip = { pickup: centre, dropoff: away(3_000), vehicleTypeId: 'economy' };

async function timed<T>(call: () => Promise<HttpAnswer<T>>) {
  const started = performance.now();
  const answer = await call();
  return { ...answer, ms: performance.now() - started };
}

function expectUnavailable(answer: HttpAnswer & { ms: number }, withinMs: number) {
  expect(answer.status, JSON.stringify(answer.error)).toBe(503);
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(answer.error?.message).toMatch(/briefly unavailable/);
  expect(answer.ms).toBeLessThan(withinMs);
}

describe('Redis down', () => {
  it('prices without surge, still takes bookings, refuses Redis reads fast, and recovers', async () => {
    const rider = await sessionIn(deps.db, await createUser(deps.db, 'rider'));
    await redis.kill();

    const quotes: (HttpAnswer<{ token: string }> & { ms: number })[] = [];
    for (let i = 0; i < 6; i++)
      quotes.push(await timed(() => httpCall<{ token: string }>(deps, rider, 'pricing.quote', trip)));
    for (const q of quotes) expect(q.status, JSON.stringify(q.error)).toBe(200);
    // Once the breaker is open, nobody waits on Redis at all.
    expect(Math.max(...quotes.slice(3).map((q) => q.ms))).toBeLessThan(500);

    const booked = await timed(() =>
      httpCall<{ booking: { id: string; status: string } }>(deps, rider, 'booking.create', {
        quoteToken: quotes[0]!.data!.token,
        idempotencyKey: crypto.randomUUID(),
      }),
    );
    expect(booked.status, JSON.stringify(booked.error)).toBe(200);
    expect(booked.data!.booking.status).toBe('requested');
    expect(booked.ms).toBeLessThan(3_000);

    expectUnavailable(await timed(() => httpCall(deps, rider, 'rider.nearbyCars', centre, 'query')), 500);

    await redis.start();
    await vi.waitFor(
      async () =>
        ready(
          'nearby cars answering again',
          (await httpCall(deps, rider, 'rider.nearbyCars', centre, 'query')).status === 200,
        ),
      { timeout: 20_000 },
    );
    // The booking taken during the outage gets its dispatch job from the reconciler.
    const workerQueue = bullDispatchQueue({
      redisUrl: redis.url,
      prefix: 'outage',
      now: () => Date.now() + 60_000,
    });
    try {
      const report = await reconcileDispatch({
        ...deps,
        dispatch: workerQueue,
        clock: { now: () => Date.now() + 60_000 },
      });
      expect(report.reenqueued).toBeGreaterThanOrEqual(1);
      expect(await deps.redis.keys(`outage:bull:dispatch:assign-${booked.data!.booking.id}-*`)).not.toEqual(
        [],
      );
    } finally {
      await workerQueue.close();
    }
  }, 90_000);
});

describe('PostgreSQL down', () => {
  it('answers 503 with Retry-After at once, and serves again when it is back', async () => {
    const rider = await sessionIn(deps.db, await createUser(deps.db, 'rider'));
    expect((await httpCall(deps, rider, 'pricing.quote', trip)).status).toBe(200);

    await pgServer.kill();
    // Not a quote: it reads no PostgreSQL while the process holds the session, the fare table and
    // the vehicle types (ADR 0016, 0017; the catalog for 5 s), so it answers or not by timing.
    for (const [path, input, kind] of [
      ['booking.mine', undefined, 'query'],
      ['booking.create', { quoteToken: 'x'.repeat(20), idempotencyKey: crypto.randomUUID() }, 'mutation'],
    ] as const) {
      expectUnavailable(await timed(() => httpCall(deps, rider, path, input, kind)), 6_000);
    }

    await pgServer.start();
    await vi.waitFor(
      async () =>
        ready(
          'bookings answering again',
          (await httpCall(deps, rider, 'booking.mine', undefined, 'query')).status === 200,
        ),
      { timeout: 30_000 },
    );
  }, 120_000);
});
