import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimits } from '@/domain/rate-limits';
import { throttleSignIn } from '@/server/auth/sign-in-throttle';
import type { WebDeps } from '@/server/web/deps';
import { createUser } from './support/fixtures';
import { createHarness, type Harness } from './support/harness';
import { callRoute, installWebDeps } from './support/rest-routes';
import { sessionOf, webDepsFor } from './support/trpc';

/**
 * The plain routes (app/api) answer their refusals through the one problem mapper
 * (server/web/problem.ts), through their own modules: the CSV export (DomainError code and field,
 * as the dashboard reads them), the sign-in throttle (status and Retry-After from the mapper, in
 * the body next-auth's client reads) and the metrics token.
 */
let h: Harness;
let deps: WebDeps;
let restore: () => void;

beforeAll(async () => {
  h = await createHarness('routeproblems');
  deps = webDepsFor(h);
  deps = { ...deps, env: { ...deps.env, METRICS_TOKEN: 'scrape-token-for-tests' } };
  restore = installWebDeps(deps);
}, 60_000);

afterAll(async () => {
  restore?.();
  await h?.cleanup();
});

const exportPath = (from: string, to: string) =>
  `/api/analytics/export?dataset=series&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

describe('analytics export', () => {
  it('names the problem by its DomainError code, with the field, and stores none of it', async () => {
    const admin = await sessionOf(h, await createUser(h.postgres.db, 'admin'));
    const rider = await sessionOf(h, await createUser(h.postgres.db, 'rider'));
    const range = exportPath('2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z');

    const anonymous = await callRoute(deps, { method: 'GET', path: range }, null);
    expect([anonymous.status, anonymous.json]).toEqual([
      401,
      { error: { code: 'UNAUTHENTICATED', message: 'Sign in first', field: null } },
    ]);
    const notAdmin = await callRoute(deps, { method: 'GET', path: range }, rider);
    expect(notAdmin).toMatchObject({ status: 403, json: { error: { code: 'FORBIDDEN' } } });

    // More than 92 days: the use case's own check, a DomainError naming `to`.
    const tooLong = await callRoute(deps, { method: 'GET', path: range }, admin);
    expect(tooLong).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT', field: 'to' } } });
    expect(tooLong.headers.get('cache-control')).toBe('no-store');

    // A query string that breaks the schema: the zod failure, 400 naming the field.
    const badDataset = await callRoute(
      deps,
      { method: 'GET', path: '/api/analytics/export?dataset=everything&from=a&to=b' },
      admin,
    );
    expect(badDataset).toMatchObject({
      status: 400,
      json: { error: { code: 'INVALID_INPUT', field: 'dataset', message: /^dataset: / } },
    });

    const fine = await callRoute(
      deps,
      { method: 'GET', path: exportPath('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z') },
      admin,
    );
    expect(fine.status).toBe(200);
    expect(fine.headers.get('content-type')).toMatch(/^text\/csv/);
  });
});

describe('sign-in throttle', () => {
  it('answers 429 with Retry-After in next-auth’s shape once an account is over its limit', async () => {
    const attempt = () =>
      callRoute(
        deps,
        {
          method: 'POST',
          path: '/api/auth/callback/credentials',
          contentType: 'application/x-www-form-urlencoded',
          headers: { 'x-real-ip': '203.0.113.90' },
          body: 'email=throttled%40example.test&password=wrong&csrfToken=x&json=true',
        },
        null,
      );
    // The account's allowance used up first (past the throttle, next-auth needs a Next server).
    const headers = new Headers({ 'x-real-ip': '203.0.113.90' });
    for (let i = 0; i < rateLimits.signInPerAccount.limit; i++)
      expect(await throttleSignIn(deps, headers, 'throttled@example.test')).toBeNull();
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.json).toEqual({ url: `${deps.env.NEXTAUTH_URL}/signin?error=RateLimited` });
    const { rows } = await h.postgres.pool.query(
      `select details->>'email' as email from audit_log where action = 'auth.sign_in_throttled'`,
    );
    expect(rows).toEqual([{ email: 'throttled@example.test' }]);
  });
});

describe('metrics', () => {
  it('refuses a scrape without the token, 401 named as the REST door names it', async () => {
    const refused = await callRoute(deps, { method: 'GET', path: '/api/metrics' }, null);
    expect([refused.status, refused.json]).toEqual([
      401,
      { error: { code: 'UNAUTHORIZED', message: 'metrics need the scrape token', field: null } },
    ]);
    const scraped = await callRoute(
      deps,
      { method: 'GET', path: '/api/metrics', headers: { authorization: 'Bearer scrape-token-for-tests' } },
      null,
    );
    expect(scraped.status).toBe(200);
  });
});
