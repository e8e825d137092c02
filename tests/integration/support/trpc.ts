import type { LatLng } from '@/domain/geo';
import { RateLimiter } from '@/server/adapters/rate-limiter';
import { SessionAuth } from '@/server/auth/session-auth';
import type { SessionUser } from '@/server/auth/session-user';
import { loadEnv, webEnvSchema } from '@/server/env';
import { CircuitBreaker } from '@/server/infra/circuit-breaker';
import { FieldCipher } from '@/server/infra/field-cipher';
import { createRegistry } from '@/server/infra/metrics';
import type { Database } from '@/server/infra/postgres';
import { openAuthSession } from '@/server/services/account/auth-sessions';
import { handleTrpcRequest } from '@/server/trpc/http';
import { createCallerFactory } from '@/server/trpc/init';
import { appRouter } from '@/server/trpc/routers/app';
import type { WebDeps } from '@/server/web/deps';
import { webMetrics } from '@/server/web/metrics';
import { type Harness, ready } from './harness';

/** The web process's dependencies over the harness's real services. */
export function webDepsFor(h: Harness): WebDeps {
  const env = loadEnv(webEnvSchema, {
    APP_ENV: 'test',
    DATABASE_URL: h.databaseUrl,
    REDIS_PREFIX: h.redisPrefix,
    KAFKA_TOPIC_PREFIX: h.topicPrefix,
    QUOTE_SECRET: h.quoteSecret,
  });
  return {
    ...h.booking,
    env,
    logger: h.logger,
    postgres: h.postgres,
    redis: h.redis,
    rateLimiter: new RateLimiter(h.redis, h.redisPrefix, h.logger),
    redisBreaker: new CircuitBreaker('redis'),
    cipher: FieldCipher.fromSpec(env.PII_KEYS),
    // Listens only once a cookie is resolved; stops with the harness's pool (pg-listener.ts).
    sessions: new SessionAuth(h.postgres, env, h.logger),
    ...metricsFor(),
  };
}

const createCaller = createCallerFactory(appRouter);

/** A tRPC caller acting as `user` (or anonymous), through every middleware of the real router. */
export function callerFor(h: Harness, user: SessionUser | null) {
  return createCaller({ deps: webDepsFor(h), user });
}

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  data?: T;
  error?: { message: string; data: { code: string; httpStatus: number; field: string | null } };
}

/**
 * One tRPC call over HTTP semantics, through the same handler the Next route uses, so the answer
 * carries the real status code and headers (the 5xx count of a fault test is about these).
 */
export async function httpCall<T = unknown>(
  deps: WebDeps,
  user: SessionUser | null,
  path: string,
  input: unknown,
  kind: 'query' | 'mutation' = 'mutation',
  headers: Record<string, string> = {},
): Promise<HttpAnswer<T>> {
  const url = `http://it.test/api/trpc/${path}`;
  const req =
    kind === 'mutation'
      ? new Request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(input),
        })
      : new Request(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify(input))}`, {
          headers,
        });
  const res = await handleTrpcRequest(req, deps, async () => user);
  const body = (await res.json()) as { result?: { data: T }; error?: HttpAnswer['error'] };
  return { status: res.status, headers: res.headers, data: body.result?.data, error: body.error };
}

/**
 * A rider booking the way the app does it over HTTP: a quote for the trip, then booking.create with
 * its token. Both answers are returned for the caller to check, with the new booking's id.
 */
export async function quoteThenBook(
  deps: WebDeps,
  rider: SessionUser,
  trip: { pickup: LatLng; dropoff: LatLng; vehicleTypeId: string },
) {
  const quote = await httpCall<{ token: string }>(deps, rider, 'pricing.quote', trip);
  const created = await httpCall<{ booking: { id: string } }>(deps, rider, 'booking.create', {
    quoteToken: ready(`a quote (answered ${quote.status})`, quote.data).token,
    idempotencyKey: crypto.randomUUID(),
  });
  // '' when refused: the caller's check of created.status is what fails then.
  return { quote, created, bookingId: created.data?.booking.id ?? '' };
}

/** The answer's status and blamed field, as a form would read them. */
export function refusal(answer: HttpAnswer) {
  return { status: answer.status, field: answer.error?.data.field ?? null };
}

/** One call over HTTP (as `httpCall`), read as a form would read a refusal. */
export async function refusalOf(...call: Parameters<typeof httpCall>) {
  return refusal(await httpCall(...call));
}

type Principal = { id: string; email: string; name: string; role: SessionUser['role'] };

/** A signed-in principal for `user`, with a real auth session row. */
export function sessionOf(h: Harness, user: Principal): Promise<SessionUser> {
  return sessionIn(h.postgres.db, user);
}

/** The same, in any database. */
export async function sessionIn(db: Database, user: Principal): Promise<SessionUser> {
  const sessionId = await openAuthSession(db, user.id, Date.now());
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionId };
}

/** A fresh registry per deps (prom-client refuses the same metric twice in one registry). */
function metricsFor() {
  const registry = createRegistry('web');
  return { registry, metrics: webMetrics(registry) };
}
