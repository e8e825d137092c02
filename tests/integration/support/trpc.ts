import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { SessionUser } from '@/server/auth/session-user';
import { loadEnv, webEnvSchema } from '@/server/env';
import { openAuthSession } from '@/server/services/auth-sessions';
import { createCallerFactory } from '@/server/trpc/init';
import { appRouter } from '@/server/trpc/routers/app';
import type { WebDeps } from '@/server/web/deps';
import type { Harness } from './harness';

/** The web process's dependencies over the harness's real services. */
export function webDepsFor(h: Harness): WebDeps {
  const env = loadEnv(webEnvSchema, {
    APP_ENV: 'test',
    DATABASE_URL: h.databaseUrl,
    REDIS_PREFIX: h.redisPrefix,
    KAFKA_TOPIC_PREFIX: h.topicPrefix,
    QUOTE_SECRET: h.quoteSecret,
  });
  return { ...h.booking, env, logger: h.logger, postgres: h.postgres, redis: h.redis };
}

const createCaller = createCallerFactory(appRouter);

/** A tRPC caller acting as `user` (or anonymous), through every middleware of the real router. */
export function callerFor(h: Harness, user: SessionUser | null) {
  return createCaller({ deps: webDepsFor(h), user });
}

export interface HttpAnswer<T = unknown> {
  status: number;
  data?: T;
  error?: { message: string; data: { code: string; httpStatus: number; field: string | null } };
}

/**
 * One tRPC call over HTTP semantics, through the same fetch handler the Next route uses, so the
 * answer carries the real status code (the 5xx count of a fault test is about these).
 */
export async function httpCall<T = unknown>(
  deps: WebDeps,
  user: SessionUser | null,
  path: string,
  input: unknown,
  kind: 'query' | 'mutation' = 'mutation',
): Promise<HttpAnswer<T>> {
  const url = `http://it.test/api/trpc/${path}`;
  const req =
    kind === 'mutation'
      ? new Request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
        })
      : new Request(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`);
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: async () => ({ deps, user }),
  });
  const body = (await res.json()) as { result?: { data: T }; error?: HttpAnswer['error'] };
  return { status: res.status, data: body.result?.data, error: body.error };
}

/** A signed-in principal for `user`, with a real auth session row. */
export async function sessionOf(
  h: Harness,
  user: { id: string; email: string; name: string; role: SessionUser['role'] },
): Promise<SessionUser> {
  const sessionId = await openAuthSession(h.postgres.db, user.id, Date.now());
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionId };
}
