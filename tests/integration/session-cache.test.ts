import { eq, sql } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authSessions, users } from '@/db/schema';
import type { Role } from '@/domain/roles';
import { userFromCookieHeader } from '@/server/auth/current-user';
import { SessionAuth } from '@/server/auth/session-auth';
import { sessionCookieName } from '@/server/auth/session-cookie';
import type { SessionUser } from '@/server/auth/session-user';
import { openAuthSession, revokeAuthSession } from '@/server/services/account/auth-sessions';
import { changeUserRole } from '@/server/services/admin/change-user-role';
import { resetUserPassword } from '@/server/services/admin/reset-user-password';
import { setUserStatus } from '@/server/services/admin/set-user-status';
import { systemClock } from '@/server/services/ports';
import { createUser } from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';

/*
 * The session cache of ADR 0016 over real PostgreSQL: a known session costs no query, and every
 * way a session or its user changes reaches another process's cache within a second, whoever
 * writes it (a use case, or SQL by hand), including while its LISTEN connection was down.
 */
let h: Harness;
let writer: SessionAuth;
let reader: SessionAuth;
const env = {
  NEXTAUTH_SECRET: 'a-test-secret-that-is-long-enough-0123456789',
  NEXTAUTH_URL: 'http://it.test',
};
beforeAll(async () => {
  h = await createHarness('sessioncache');
  // Two web processes: one where changes are made, one that must hear of them.
  writer = new SessionAuth(h.postgres, env, h.logger);
  reader = new SessionAuth(h.postgres, env, h.logger);
});
afterAll(async () => {
  await Promise.all([writer?.close(), reader?.close()]);
  await h?.cleanup();
});

const adminDeps = () => ({ db: h.postgres.db, clock: systemClock });

async function signedIn(role: Role) {
  const user = await createUser(h.postgres.db, role);
  const sessionId = await openAuthSession(h.postgres.db, user.id, Date.now());
  const token = await encode({ token: { sid: sessionId, uid: user.id, role }, secret: env.NEXTAUTH_SECRET });
  const cookie = `theme=dark; ${sessionCookieName(false)}=${token}`;
  return { user, sessionId, cookie };
}

const whoIs = (auth: SessionAuth, cookie: string) =>
  userFromCookieHeader({ sessions: auth, clock: systemClock }, cookie);

/** Resolves `cookie` in `auth` until it is listening (it starts on first use) and the answer is cached. */
async function warm(auth: SessionAuth, cookie: string): Promise<SessionUser> {
  await whoIs(auth, cookie);
  await vi.waitFor(() => ready('listening', auth.principals.listening), { timeout: 5_000 });
  const user = ready('a principal', await whoIs(auth, cookie));
  const reads = auth.principals.databaseReads;
  expect(await whoIs(auth, cookie)).toEqual(user);
  expect(auth.principals.databaseReads).toBe(reads);
  return user;
}

/** Milliseconds from `change` until `auth` answers what `until` waits for, checked every 10 ms. */
async function msUntil(
  auth: SessionAuth,
  cookie: string,
  change: () => Promise<unknown>,
  until: (u: SessionUser | null) => boolean,
) {
  await change();
  const start = performance.now();
  while (!until(await whoIs(auth, cookie))) {
    if (performance.now() - start > 5_000) throw new Error('the cache never heard of the change');
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - start;
}

describe('session cache', () => {
  it('resolves a known session with no query at all', async () => {
    const { cookie, user } = await signedIn('rider');
    await warm(reader, cookie);
    const query = vi.spyOn(h.postgres.pool, 'query');
    for (let i = 0; i < 100; i++) expect((await whoIs(reader, cookie))?.id).toBe(user.id);
    expect(query).not.toHaveBeenCalled();
    query.mockRestore();
    expect(await whoIs(reader, 'theme=dark')).toBeNull();
    expect(await whoIs(reader, `${sessionCookieName(false)}=forged`)).toBeNull();
  });

  it('refuses a session within a second of sign-out, suspension, password reset or expiry', async () => {
    const admin = { id: (await createUser(h.postgres.db, 'admin')).id, role: 'admin' as const };
    const gone = (u: SessionUser | null) => u === null;
    const changes: [string, (s: Awaited<ReturnType<typeof signedIn>>) => Promise<unknown>][] = [
      ['sign-out', (s) => revokeAuthSession(h.postgres.db, s.sessionId, Date.now())],
      [
        'suspension',
        (s) => setUserStatus(adminDeps(), admin, { userId: s.user.id, status: 'suspended', reason: '' }),
      ],
      [
        'password reset',
        (s) => resetUserPassword(adminDeps(), admin, { userId: s.user.id, password: 'a new password 123' }),
      ],
      [
        'suspension by hand',
        (s) => h.postgres.db.update(users).set({ status: 'suspended' }).where(eq(users.id, s.user.id)),
      ],
      [
        'expiry moved up',
        (s) =>
          h.postgres.db
            .update(authSessions)
            .set({ expiresAt: new Date() })
            .where(eq(authSessions.id, s.sessionId)),
      ],
      ['user removed', (s) => h.postgres.db.delete(users).where(eq(users.id, s.user.id))],
    ];
    for (const [what, change] of changes) {
      const s = await signedIn('driver');
      await warm(reader, s.cookie);
      const ms = await msUntil(reader, s.cookie, () => change(s), gone);
      expect(ms, what).toBeLessThan(1_000);
    }
  });

  it('sees a role changed by hand, and a demotion by an admin, within a second', async () => {
    const admin = { id: (await createUser(h.postgres.db, 'admin')).id, role: 'admin' as const };
    const s = await signedIn('dispatcher');
    await warm(reader, s.cookie);
    const byHand = () => h.postgres.db.update(users).set({ role: 'rider' }).where(eq(users.id, s.user.id));
    expect(await msUntil(reader, s.cookie, byHand, (u) => u?.role === 'rider')).toBeLessThan(1_000);

    const t = await signedIn('dispatcher');
    await warm(reader, t.cookie);
    const demote = () => changeUserRole(adminDeps(), admin, { userId: t.user.id, role: 'rider' });
    expect(await msUntil(reader, t.cookie, demote, (u) => u === null)).toBeLessThan(1_000);
  });

  it('ends a session at its own expiry without being told', async () => {
    const s = await signedIn('rider');
    await h.postgres.db
      .update(authSessions)
      .set({ expiresAt: new Date(Date.now() + 1_500) })
      .where(eq(authSessions.id, s.sessionId));
    await warm(reader, s.cookie);
    await new Promise((r) => setTimeout(r, 1_600));
    expect(await whoIs(reader, s.cookie)).toBeNull();
  });

  it('reads PostgreSQL per request while its LISTEN connection is down, and caches again once back', async () => {
    const s = await signedIn('rider');
    await warm(reader, s.cookie);
    await warm(writer, s.cookie);
    // Drop both processes' listeners; a revocation made now cannot be notified to them.
    await h.postgres.db.execute(sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and application_name like '%-listen' and pid <> pg_backend_pid()`);
    await vi.waitFor(() => ready('listener lost', !reader.principals.listening), { timeout: 2_000 });
    await h.postgres.db
      .update(authSessions)
      .set({ revokedAt: new Date() })
      .where(eq(authSessions.id, s.sessionId));
    expect(await whoIs(reader, s.cookie)).toBeNull();

    const t = await signedIn('rider');
    await warm(reader, t.cookie);
  });
});
