import { encode, getToken } from 'next-auth/jwt';
import { runMigrations } from '@/db/migrate';
import { authSessions, users } from '@/db/schema';
import { recreateDatabase } from '@/scripts/lib/services';
import { SessionAuth } from '@/server/auth/session-auth';
import { parseCookieHeader, sessionCookieName } from '@/server/auth/session-cookie';
import type { SessionUser } from '@/server/auth/session-user';
import { loadEnv, webEnvSchema } from '@/server/env';
import { createPostgres } from '@/server/infra/postgres';
import { ensureTracing } from '@/server/infra/tracing';
import { authSessionTtlMs, resolveAuthSession } from '@/server/services/account/auth-sessions';
import { createCallerFactory } from '@/server/trpc/init';
import { appRouter } from '@/server/trpc/routers/app';
import { createWebDeps } from '@/server/web/deps';
import type { ScenarioOptions, ScenarioResult } from '../lib/scenario';

export const defaultDurationS = 3;

const secret = 'bench-session-secret-that-is-long-enough-0123';
const database = 'opendispatch_bench_session';
const sessionCount = 200;

/**
 * `npm run bench -- session`: what resolving a request's session cookie costs, one request at a
 * time in this process (so µs per request, no queueing), on the same sessions in the same run:
 * - `before`: as `userFromCookies` did until ADR 0016 — next-auth's getToken (HKDF + decrypt per
 *   call), then the session row read from PostgreSQL;
 * - `getTokenOnly`: the first half alone (what the decode cost);
 * - `after`: SessionAuth with its caches warm (the steady state: every session seen before). A
 *   session's first request in a process costs one decrypt and one read, about getTokenOnly + the
 *   read, once per session and process.
 * - `meBefore` / `meAfter`: the same two around the trivial `me` procedure called through every
 *   middleware of the real router (createCaller, no HTTP), tracing started without an exporter
 *   as web runs by default (so no span per call, either way).
 * PostgreSQL queries per request are counted on the pool.
 */
export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const url = await recreateDatabase(database);
  await runMigrations(url);
  const postgres = createPostgres(url, { max: 4, applicationName: 'bench-session' });
  let queries = 0;
  const query = postgres.pool.query.bind(postgres.pool) as (...a: unknown[]) => unknown;
  (postgres.pool as unknown as { query: unknown }).query = (...args: unknown[]) => {
    queries++;
    return query(...args);
  };
  const cookies = await seedSessions(postgres.db);
  const env = { NEXTAUTH_SECRET: secret, NEXTAUTH_URL: 'http://bench.test' };
  const headers = new Headers();
  const perPhaseMs = options.quick ? 500 : options.durationS * 1_000;

  const before = async (cookie: string) => {
    const list = parseCookieHeader(cookie);
    const token = await getToken({
      req: { cookies: { getAll: () => list }, headers } as unknown as Parameters<typeof getToken>[0]['req'],
      secret,
      secureCookie: false,
    });
    return token?.sid ? resolveAuthSession(postgres.db, token.sid as string, Date.now()) : null;
  };
  const getTokenOnly = async (cookie: string) => {
    const list = parseCookieHeader(cookie);
    return getToken({
      req: { cookies: { getAll: () => list }, headers } as unknown as Parameters<typeof getToken>[0]['req'],
      secret,
      secureCookie: false,
    });
  };
  const warm = new SessionAuth(postgres, env);
  await warm.userOf(parseCookieHeader(cookies[0]!), null, Date.now());
  await waitUntil(() => warm.principals.listening);
  for (const c of cookies) await warm.userOf(parseCookieHeader(c), null, Date.now());
  const after = (cookie: string) => warm.userOf(parseCookieHeader(cookie), null, Date.now());
  // The trivial `me` procedure through every middleware of the real router, production's default
  // tracing (started, no exporter), the user resolved the old way or the new way.
  const deps = createWebDeps(
    loadEnv(webEnvSchema, {
      APP_ENV: 'test',
      DATABASE_URL: url,
      REDIS_PREFIX: 'bench-session',
      LOG_LEVEL: 'silent',
    }),
  );
  const tracing = ensureTracing('web', { OTEL_TRACES_SAMPLER_ARG: 1 });
  const caller = createCallerFactory(appRouter);
  const meBefore = async (cookie: string) => caller({ deps, user: await before(cookie) }).me();
  const meAfter = async (cookie: string) => caller({ deps, user: await after(cookie) }).me();

  const metrics: Record<string, number> = {};
  const started = performance.now();
  for (const [name, resolve] of Object.entries({ before, getTokenOnly, after, meBefore, meAfter })) {
    const { calls, us, queriesDuring } = await timed(perPhaseMs, cookies, resolve, () => queries);
    metrics[`${name}UsPerRequest`] = us;
    metrics[`${name}PgQueriesPerRequest`] = queriesDuring / calls;
  }
  await Promise.all([warm.close(), tracing.shutdown(), deps.postgres.pool.end(), deps.redis.quit()]);
  await postgres.pool.end();
  return {
    scenario: 'session',
    durationS: (performance.now() - started) / 1000,
    metrics,
    ceilings: {},
    ratios: { beforeOverAfter: metrics.beforeUsPerRequest! / metrics.afterUsPerRequest! },
    notes: [`${sessionCount} sessions round-robin, one request at a time, ${perPhaseMs / 1000} s per phase`],
  };
}

/** Warms up, then calls `resolve` over the cookies for `ms`; counts queries after the warm-up only. */
async function timed(
  ms: number,
  cookies: string[],
  resolve: (cookie: string) => Promise<unknown>,
  queries: () => number,
) {
  for (let i = 0; i < 200; i++) await resolve(cookies[i % cookies.length]!);
  let calls = 0;
  const q0 = queries();
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++) {
      const user = (await resolve(cookies[calls % cookies.length]!)) as SessionUser | { sid?: string } | null;
      if (!user) throw new Error('a session did not resolve');
      calls++;
    }
  }
  return { calls, us: ((performance.now() - start) * 1000) / calls, queriesDuring: queries() - q0 };
}

async function seedSessions(db: ReturnType<typeof createPostgres>['db']): Promise<string[]> {
  const now = Date.now();
  const people = await db
    .insert(users)
    .values(
      Array.from({ length: sessionCount }, (_, i) => ({
        email: `bench-${i}@bench.test`,
        name: `Bench ${i}`,
        role: 'rider' as const,
        passwordHash: 'x',
      })),
    )
    .returning({ id: users.id, email: users.email, name: users.name });
  const rows = await db
    .insert(authSessions)
    .values(people.map((u) => ({ userId: u.id, expiresAt: new Date(now + authSessionTtlMs) })))
    .returning({ id: authSessions.id, userId: authSessions.userId });
  const byUser = new Map(people.map((u) => [u.id, u]));
  return Promise.all(
    rows.map(async (s) => {
      const u = byUser.get(s.userId)!;
      const jwe = await encode({
        token: { name: u.name, email: u.email, sub: u.id, uid: u.id, role: 'rider', sid: s.id },
        secret,
        maxAge: authSessionTtlMs / 1000,
      });
      return `theme=dark; ${sessionCookieName(false)}=${jwe}`;
    }),
  );
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!condition()) throw new Error('the session cache never started listening');
}
