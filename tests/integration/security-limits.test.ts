import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { users } from '@/db/schema';
import { rateLimits } from '@/domain/rate-limits';
import { RateLimiter } from '@/server/adapters/rate-limiter';
import { throttleSignIn } from '@/server/auth/sign-in-throttle';
import { revokeAuthSession } from '@/server/services/account/auth-sessions';
import { away, centre, rider } from './support/booking-helpers';
import { createUser } from './support/fixtures';
import { ready } from './support/harness';
import { openSocket, sessionEnds } from './support/sockets';
import { httpCall, sessionOf } from './support/trpc';
import { webWorld } from './support/web-world';

const web = webWorld('limits', { realtimeEnv: { SESSION_CHECK_MS: '500' } });

describe('T15: rate limits are exact under concurrency', () => {
  it('allows exactly the limit of 1,000 parallel attempts on one key', async () => {
    const limiter = new RateLimiter(web.h.redis, web.h.redisPrefix);
    const limit = { limit: 37, windowMs: 60_000 };
    const decisions = await Promise.all(
      Array.from({ length: 1_000 }, () => limiter.hit('t15', 'one-key', limit)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(37);
    const refused = decisions.filter((d) => !d.allowed);
    expect(refused).toHaveLength(963);
    expect(Math.min(...refused.map((d) => d.retryAfterS))).toBeGreaterThanOrEqual(1);
    expect(Math.max(...refused.map((d) => d.retryAfterS))).toBeLessThanOrEqual(60);
    // Another key has its own window.
    expect((await limiter.hit('t15', 'other-key', limit)).allowed).toBe(true);
  });

  it('answers 429 with Retry-After over HTTP once a rider used up their quotes', async () => {
    const r = await sessionOf(web.h, await rider(web.h));
    const trip = { pickup: centre, dropoff: away(2_000), vehicleTypeId: 'economy' };
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => httpCall(web.deps, r, 'pricing.quote', trip)),
    );
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    expect(ok).toHaveLength(rateLimits.quote.limit);
    expect(limited).toHaveLength(200 - rateLimits.quote.limit);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited[0]!.error?.message).toMatch(/Too many requests; try again in \d+ s/);
    // Limits are per user: someone else still quotes.
    const other = await sessionOf(web.h, await rider(web.h));
    expect((await httpCall(web.deps, other, 'pricing.quote', trip)).status).toBe(200);
  });

  it('counts booking attempts per rider, not retries of one attempt', async () => {
    const r = await sessionOf(web.h, await rider(web.h));
    const quote = await httpCall<{ token: string }>(web.deps, r, 'pricing.quote', {
      pickup: centre,
      dropoff: away(2_000),
      vehicleTypeId: 'economy',
    });
    const create = (key: string) =>
      httpCall(web.deps, r, 'booking.create', { quoteToken: quote.data!.token, idempotencyKey: key });
    const first = crypto.randomUUID();
    expect((await create(first)).status).toBe(200);
    const others = [];
    for (let i = 0; i < 12; i++) others.push((await create(crypto.randomUUID())).status);
    // Attempts 2–10 reach the use case (this quote is spent: 409); 11 and later are refused first.
    expect(others).toEqual([...Array(rateLimits.bookingCreate.limit - 1).fill(409), 429, 429, 429]);
    // Retrying the first attempt is not a new attempt.
    const again = await create(first);
    expect(again.status).toBe(200);
  });

  it('throttles password guessing per account and per address', async () => {
    const headers = new Headers({ 'x-real-ip': '203.0.113.7' });
    const results = await Promise.all(
      Array.from({ length: 30 }, () => throttleSignIn(web.deps, headers, 'Victim@Example.test')),
    );
    expect(results.filter((r) => r === null)).toHaveLength(rateLimits.signInPerAccount.limit);
    // The same account from anywhere else is still throttled; another account from here is not.
    expect(
      await throttleSignIn(web.deps, new Headers({ 'x-real-ip': '198.51.100.1' }), 'victim@example.test'),
    ).not.toBeNull();
    expect(await throttleSignIn(web.deps, headers, 'someone-else@example.test')).toBeNull();

    const perIp = { ...web.deps, env: { ...web.deps.env, SIGNIN_ATTEMPTS_PER_IP: 5 } };
    const spray = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        throttleSignIn(perIp, new Headers({ 'x-real-ip': '192.0.2.55' }), `user${i}@example.test`),
      ),
    );
    expect(spray.filter((r) => r === null)).toHaveLength(5);
  });
});

describe('socket limits and session revocation', () => {
  async function socketOf(user: { id: string; role: 'rider' | 'driver' | 'dispatcher' | 'admin' }) {
    const { socket, sessionId } = await openSocket(web.h, web.realtime.port, user);
    return { socket, sessionId, ...sessionEnds(socket) };
  }

  it('refuses socket events over the per-connection limit, saying when to retry', async () => {
    const { socket } = await socketOf(await createUser(web.h.postgres.db, 'rider'));
    const answers = await Promise.all(
      Array.from({ length: 70 }, () => socket.emitWithAck('booking:watch', { bookingId: 'x' })),
    );
    expect(answers.filter((a) => !a.ok && a.error.code === 'INVALID_INPUT')).toHaveLength(60);
    const limited = answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED');
    expect(limited).toHaveLength(10);
    expect(limited[0]).toMatchObject({ ok: false, error: { retryAfterS: expect.any(Number) } });
  });

  it('ends open sockets within the check period after sign-out, a role change or a suspension', async () => {
    const signedOut = await socketOf(await createUser(web.h.postgres.db, 'dispatcher'));
    await revokeAuthSession(web.h.postgres.db, signedOut.sessionId, Date.now());

    const demotedUser = await createUser(web.h.postgres.db, 'dispatcher');
    const demoted = await socketOf(demotedUser);
    await web.h.postgres.db.update(users).set({ role: 'rider' }).where(eq(users.id, demotedUser.id));

    const suspendedUser = await createUser(web.h.postgres.db, 'driver');
    const suspended = await socketOf(suspendedUser);
    await web.h.postgres.db.update(users).set({ status: 'suspended' }).where(eq(users.id, suspendedUser.id));

    const untouched = await socketOf(await createUser(web.h.postgres.db, 'dispatcher'));

    await Promise.all([signedOut.closed, demoted.closed, suspended.closed]);
    expect(signedOut.ended).toEqual(['session_revoked']);
    expect(demoted.ended).toEqual(['role_changed']);
    expect(suspended.ended).toEqual(['session_revoked']);
    // Two more check periods: the valid session stays connected.
    await new Promise((r) => setTimeout(r, 1_200));
    expect(untouched.socket.connected).toBe(true);
    await vi.waitFor(() => ready('nothing else ended', untouched.ended.length === 0), { timeout: 15_000 });
  });
});
