import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSessions, users } from '@/db/schema';
import type { Role } from '@/domain/roles';
import type { SessionUser } from '@/server/auth/session-user';
import { verifySocketToken } from '@/server/auth/socket-token';
import {
  openAuthSession,
  resolveAuthSession,
  revokeAuthSession,
} from '@/server/services/account/auth-sessions';
import { verifyCredentials } from '@/server/services/account/verify-credentials';
import { createDriver, createUser, fixturePassword } from './support/fixtures';
import { createHarness, type Harness } from './support/harness';
import { callerFor, webDepsFor } from './support/trpc';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('auth');
});
afterAll(() => h?.cleanup());

const anyId = '00000000-0000-4000-8000-000000000000';

async function principal(role: Role, userId?: string): Promise<SessionUser> {
  const user = userId ? { id: userId, email: 'x@it.test', name: 'x' } : await createUser(h.postgres.db, role);
  const sessionId = await openAuthSession(h.postgres.db, user.id, Date.now());
  return { id: user.id, email: user.email, name: user.name, role, sessionId };
}

describe('credentials', () => {
  it('accepts the right password, case-insensitively on the e-mail', async () => {
    const u = await createUser(h.postgres.db, 'rider');
    expect(await verifyCredentials(h.postgres.db, u.email.toUpperCase(), fixturePassword)).toMatchObject({
      id: u.id,
      role: 'rider',
    });
  });

  it('refuses a wrong password, an unknown e-mail and a suspended account alike', async () => {
    const u = await createUser(h.postgres.db, 'rider');
    expect(await verifyCredentials(h.postgres.db, u.email, 'wrong password')).toBeNull();
    expect(await verifyCredentials(h.postgres.db, 'nobody@it.test', fixturePassword)).toBeNull();
    await h.postgres.db.update(users).set({ status: 'suspended' }).where(eq(users.id, u.id));
    expect(await verifyCredentials(h.postgres.db, u.email, fixturePassword)).toBeNull();
  });

  it('stores argon2id hashes, never the password', async () => {
    const u = await createUser(h.postgres.db, 'rider');
    expect(u.passwordHash).toMatch(/^\$argon2id\$/);
    expect(u.passwordHash).not.toContain(fixturePassword);
  });
});

describe('auth sessions', () => {
  it('resolve while open, and not after revocation, expiry or suspension', async () => {
    const u = await createUser(h.postgres.db, 'dispatcher');
    const now = Date.now();
    const sid = await openAuthSession(h.postgres.db, u.id, now);
    expect(await resolveAuthSession(h.postgres.db, sid, now)).toMatchObject({
      id: u.id,
      role: 'dispatcher',
      sessionId: sid,
    });
    expect(await resolveAuthSession(h.postgres.db, sid, now + 13 * 3_600_000)).toBeNull();
    expect(await resolveAuthSession(h.postgres.db, 'not-a-uuid', now)).toBeNull();

    await revokeAuthSession(h.postgres.db, sid, now);
    expect(await resolveAuthSession(h.postgres.db, sid, now)).toBeNull();

    const other = await openAuthSession(h.postgres.db, u.id, now);
    await h.postgres.db.update(users).set({ status: 'suspended' }).where(eq(users.id, u.id));
    expect(await resolveAuthSession(h.postgres.db, other, now)).toBeNull();
    const [row] = await h.postgres.db.select().from(authSessions).where(eq(authSessions.id, other));
    expect(row!.revokedAt).toBeNull();
  });
});

describe('tRPC procedures check role on the server', () => {
  it('refuses anonymous callers everywhere but `me`', async () => {
    const anon = callerFor(h, null);
    expect(await anon.me()).toBeNull();
    await expect(anon.driver.console()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(anon.operations.driverDirectory({ ids: [anyId] })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(anon.rider.nearbyCars({ lat: 12.97, lng: 77.59 })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(anon.realtime.token()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('lets only drivers use driver procedures and only dispatchers/admins see the fleet', async () => {
    for (const role of ['rider', 'dispatcher', 'admin'] as const) {
      await expect(callerFor(h, await principal(role)).driver.console()).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    const nearQuery = { lat: 12.97, lng: 77.59, vehicleTypeIds: ['economy'] };
    for (const role of ['rider', 'driver'] as const) {
      const caller = callerFor(h, await principal(role));
      await expect(caller.operations.driverDirectory({ ids: [anyId] })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(caller.operations.nearestDrivers(nearQuery)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    for (const role of ['dispatcher', 'admin'] as const) {
      const caller = callerFor(h, await principal(role));
      expect(await caller.operations.driverDirectory({ ids: [anyId] })).toEqual([]);
      expect(await caller.operations.nearestDrivers(nearQuery)).toEqual(expect.any(Array));
    }
    for (const role of ['driver', 'dispatcher', 'admin'] as const) {
      await expect(
        callerFor(h, await principal(role)).rider.nearbyCars({ lat: 12.97, lng: 77.59 }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
  });

  it('acts on the signed-in driver only: the driver id never comes from input', async () => {
    const d = await createDriver(h.postgres.db);
    const caller = callerFor(h, await principal('driver', d.id));
    const result = await caller.driver.setAvailability({
      event: 'go_online',
      driverId: 'someone-else',
    } as never);
    expect(result).toMatchObject({ driverId: d.id, state: 'available', actions: ['go_offline', 'pause'] });
    await expect(caller.driver.setAvailability({ event: 'offer_accepted' } as never)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller.driver.setAvailability({ event: 'go_online' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('mints a socket token bound to the caller and their auth session', async () => {
    const p = await principal('dispatcher');
    const { token, expiresAt } = await callerFor(h, p).realtime.token();
    const claims = await verifySocketToken(token, webDepsFor(h).env.SOCKET_TOKEN_SECRET, Date.now());
    expect(claims).toMatchObject({ userId: p.id, role: 'dispatcher', sessionId: p.sessionId });
    expect(expiresAt).toBeGreaterThan(Date.now());
  });
});
