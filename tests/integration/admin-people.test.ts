import { randomBytes } from 'node:crypto';
import { and, eq, notInArray } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { auditLog, authSessions, drivers, users } from '@/db/schema';
import type { SessionUser } from '@/server/auth/session-user';
import { FieldCipher } from '@/server/infra/field-cipher';
import { resolveAuthSession } from '@/server/services/account/auth-sessions';
import { verifyCredentials } from '@/server/services/account/verify-credentials';
import { changeAvailabilityInTx } from '@/server/services/driver/internal/availability-change';
import { setAvailability } from '@/server/services/driver/set-availability';
import { handleTrpcRequest } from '@/server/trpc/http';
import { book } from './support/booking-helpers';
import { createDriver, createUser, fixtureCipher, fixturePassword } from './support/fixtures';
import { ready } from './support/harness';
import { openSocket, sessionEnds } from './support/sockets';
import { callerFor, httpCall, refusal, refusalOf, sessionOf } from './support/trpc';
import { webWorld } from './support/web-world';

/**
 * Drivers, riders and accounts through the admin router: onboarding with encrypted personal
 * fields, document checks, suspension, role changes and password resets that end the user's
 * sessions (the next request is refused, their sockets are closed), personal fields revealed only
 * on demand and audited.
 */
const web = webWorld('adminpeople', { realtimeEnv: { SESSION_CHECK_MS: '500' } });

const newAdmin = async () => sessionOf(web.h, await createUser(web.h.postgres.db, 'admin'));
const uniq = () => randomBytes(3).toString('hex');

async function auditBy(actorId: string) {
  return web.h.postgres.db.select().from(auditLog).where(eq(auditLog.actorId, actorId)).orderBy(auditLog.id);
}

/**
 * A request as the web process serves it: the principal is resolved from the session row on
 * every request (as the Next route does from the cookie), so a revoked session is refused.
 */
async function requestWithSession(sessionId: string, path: string, kind: 'query' | 'mutation' = 'query') {
  const url = `http://it.test/api/trpc/${path}`;
  const req =
    kind === 'mutation'
      ? new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      : new Request(url);
  const res = await handleTrpcRequest(req, web.deps, () =>
    resolveAuthSession(web.h.postgres.db, sessionId, Date.now()),
  );
  return res.status;
}

/** A socket of `user` on a real auth session, recording why the server ended it. */
async function socketOf(user: { id: string; role: SessionUser['role'] }) {
  const { socket, sessionId } = await openSocket(web.h, web.realtime.port, user);
  return { socket, sessionId, ...sessionEnds(socket) };
}

const onboarding = () => ({
  name: `Nandini ${uniq()}`,
  email: `New.Driver.${uniq()}@IT.test`,
  phone: '+91 98450 12345',
  licenseNumber: `ka05 2024 ${uniq()}`,
  password: 'first password 1',
});

describe('drivers', () => {
  it('onboards a driver: pending documents, encrypted phone and licence bound to the row, can sign in', async () => {
    const admin = await newAdmin();
    const input = onboarding();
    const created = await callerFor(web.h, admin).admin.drivers.onboard(input);
    expect(created).toMatchObject({
      role: 'driver',
      documentStatus: 'pending',
      email: input.email.toLowerCase(),
    });

    const [user] = await web.h.postgres.db.select().from(users).where(eq(users.id, created.id));
    const [driver] = await web.h.postgres.db.select().from(drivers).where(eq(drivers.userId, created.id));
    expect(FieldCipher.versionOf(user!.phone!)).toBe(1);
    expect(fixtureCipher.decrypt(user!.phone!, { table: 'users', column: 'phone', rowId: created.id })).toBe(
      input.phone,
    );
    expect(
      fixtureCipher.decrypt(driver!.licenseNumber, {
        table: 'drivers',
        column: 'license_number',
        rowId: created.id,
      }),
    ).toBe(input.licenseNumber.toUpperCase());
    expect(driver).toMatchObject({ documentStatus: 'pending', availability: 'offline' });
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyCredentials(web.h.postgres.db, input.email, input.password)).toMatchObject({
      id: created.id,
    });

    const [entry] = await auditBy(admin.id);
    expect(entry).toMatchObject({
      action: 'driver.changed',
      subjectId: created.id,
      details: { change: 'onboarded' },
    });
    // Nothing personal in the log.
    expect(JSON.stringify(entry)).not.toMatch(/98450|KA05|first password/i);
  });

  it('refuses a taken e-mail and bad fields by field, creating nobody', async () => {
    const admin = await newAdmin();
    const existing = await createUser(web.h.postgres.db, 'rider');
    const base = onboarding();
    const cases: [unknown, number, string][] = [
      [{ ...base, email: existing.email.toUpperCase() }, 409, 'email'],
      [{ ...base, email: 'not-an-email' }, 400, 'email'],
      [{ ...base, name: '' }, 400, 'name'],
      [{ ...base, phone: '12' }, 400, 'phone'],
      [{ ...base, phone: '+91 98450 12345 12345 1' }, 400, 'phone'],
      [{ ...base, licenseNumber: '#' }, 400, 'licenseNumber'],
      [{ ...base, password: 'short' }, 400, 'password'],
    ];
    for (const [input, status, field] of cases) {
      expect(await refusalOf(web.deps, admin, 'admin.drivers.onboard', input)).toEqual({
        status,
        field,
      });
    }
    const [nobody] = await web.h.postgres.db
      .select()
      .from(users)
      .where(eq(users.email, base.email.toLowerCase()));
    expect(nobody).toBeUndefined();
    expect(await auditBy(admin.id)).toEqual([]);
  });

  it('verifies or rejects documents with a note; only verified drivers go on duty', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin;
    const d = await createDriver(web.h.postgres.db);
    await web.h.postgres.db
      .update(drivers)
      .set({ documentStatus: 'pending' })
      .where(eq(drivers.userId, d.id));
    const driver = callerFor(web.h, await sessionOf(web.h, d)).driver;
    await expect(driver.setAvailability({ event: 'go_online' })).rejects.toThrow(/being checked/);

    const noReason = await httpCall(web.deps, admin, 'admin.drivers.setDocuments', {
      driverId: d.id,
      status: 'rejected',
    });
    expect(refusal(noReason)).toEqual({ status: 400, field: 'note' });
    expect(await auditBy(admin.id)).toEqual([]);

    await caller.drivers.setDocuments({
      driverId: d.id,
      status: 'rejected',
      note: 'Licence photo unreadable',
    });
    await expect(driver.setAvailability({ event: 'go_online' })).rejects.toThrow(/not accepted/);
    await caller.drivers.setDocuments({ driverId: d.id, status: 'verified', note: '' });
    expect((await driver.setAvailability({ event: 'go_online' })).state).toBe('available');
    expect((await auditBy(admin.id)).map((a) => a.details)).toEqual([
      { change: 'documents', before: 'pending', after: 'rejected', note: 'Licence photo unreadable' },
      { change: 'documents', before: 'rejected', after: 'verified', note: null },
    ]);
    const rider = await createUser(web.h.postgres.db, 'rider');
    expect(
      await refusalOf(web.deps, admin, 'admin.drivers.setDocuments', {
        driverId: rider.id,
        status: 'verified',
      }),
    ).toEqual({ status: 404, field: 'driverId' });
  });

  it('lists drivers with search, filters and sorting, never with decrypted personal fields', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin.drivers;
    const tag = `zq${uniq()}`;
    const made = [];
    for (const n of ['Bala', 'Anu', 'Chitra']) {
      made.push(await caller.onboard({ ...onboarding(), name: `${n} ${tag}` }));
    }
    const page = await caller.list({ search: tag, sort: 'name', dir: 'asc' });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.name)).toEqual([`Anu ${tag}`, `Bala ${tag}`, `Chitra ${tag}`]);
    expect(page.rows[0]).toMatchObject({ documentStatus: 'pending', hasPhone: true, plate: null });
    const text = JSON.stringify(page);
    expect(text).not.toContain('98450');
    expect(text).not.toContain('pii1.');
    const verified = await caller.list({ search: tag, documentStatus: 'verified' });
    expect(verified.total).toBe(0);
    const free = await caller.list({
      search: tag,
      withoutVehicle: true,
      pageSize: 2,
      sort: 'name',
      dir: 'desc',
    });
    expect(free.rows.map((r) => r.name)).toEqual([`Chitra ${tag}`, `Bala ${tag}`]);
  });
});

describe('personal fields', () => {
  it('reveals a phone or licence on demand only, each time with a pii.viewed entry', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin;
    const input = onboarding();
    const { id } = await caller.drivers.onboard(input);
    expect(await caller.users.revealPii({ userId: id, field: 'phone' })).toEqual({
      field: 'phone',
      value: input.phone,
    });
    expect(await caller.users.revealPii({ userId: id, field: 'licenseNumber' })).toEqual({
      field: 'licenseNumber',
      value: input.licenseNumber.toUpperCase(),
    });
    const viewed = (await auditBy(admin.id)).filter((a) => a.action === 'pii.viewed');
    expect(viewed.map((a) => [a.subjectId, a.details])).toEqual([
      [id, { field: 'phone' }],
      [id, { field: 'licenseNumber' }],
    ]);
    // A rider has no licence; nobody is not found; neither is audited as a view.
    const rider = await createUser(web.h.postgres.db, 'rider');
    expect(
      await refusalOf(web.deps, admin, 'admin.users.revealPii', {
        userId: rider.id,
        field: 'licenseNumber',
      }),
    ).toEqual({ status: 404, field: 'userId' });
    expect(await caller.users.revealPii({ userId: rider.id, field: 'phone' })).toEqual({
      field: 'phone',
      value: null,
    });
    expect((await auditBy(admin.id)).filter((a) => a.action === 'pii.viewed')).toHaveLength(3);
    // Dispatchers cannot reveal anything.
    const dispatcher = await sessionOf(web.h, await createUser(web.h.postgres.db, 'dispatcher'));
    await expect(
      callerFor(web.h, dispatcher).admin.users.revealPii({ userId: id, field: 'phone' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('suspension, role changes and password resets end sessions', () => {
  it('suspending a driver refuses their next request and ends their sockets; reinstating lets them sign in again', async () => {
    const admin = await newAdmin();
    const d = await createDriver(web.h.postgres.db);
    const session = await sessionOf(web.h, d);
    const live = await socketOf(d);
    expect(await requestWithSession(session.sessionId, 'driver.console')).toBe(200);

    const result = await callerFor(web.h, admin).admin.users.setStatus({
      userId: d.id,
      status: 'suspended',
      reason: 'Complaints',
    });
    // Two sessions: the request's and the socket's.
    expect(result).toMatchObject({ status: 'suspended', revokedSessions: 2 });
    const revoked = await web.h.postgres.db.select().from(authSessions).where(eq(authSessions.userId, d.id));
    expect(revoked.map((s) => s.revokedAt !== null)).toEqual([true, true]);
    expect(await requestWithSession(session.sessionId, 'driver.console')).toBe(401);
    await live.closed;
    expect(live.ended).toEqual(['session_revoked']);
    expect(await verifyCredentials(web.h.postgres.db, d.email, fixturePassword)).toBeNull();

    await callerFor(web.h, admin).admin.users.setStatus({ userId: d.id, status: 'active' });
    // The old sessions stay revoked; a new sign-in works.
    expect(await requestWithSession(session.sessionId, 'driver.console')).toBe(401);
    expect(await verifyCredentials(web.h.postgres.db, d.email, fixturePassword)).toMatchObject({ id: d.id });
    expect((await auditBy(admin.id)).map((a) => [a.action, a.details])).toEqual([
      ['user.suspended', { role: 'driver', reason: 'Complaints', revokedSessions: 2 }],
      ['user.reinstated', { role: 'driver', reason: null, revokedSessions: 0 }],
    ]);
  });

  it('a role change signs the user out everywhere', async () => {
    const admin = await newAdmin();
    const u = await createUser(web.h.postgres.db, 'dispatcher');
    const session = await sessionOf(web.h, u);
    const live = await socketOf(u);
    expect(await requestWithSession(session.sessionId, 'operations.bookings')).toBe(200);
    const result = await callerFor(web.h, admin).admin.users.changeRole({ userId: u.id, role: 'rider' });
    expect(result).toMatchObject({ role: 'rider', revokedSessions: 2 });
    expect(await requestWithSession(session.sessionId, 'operations.bookings')).toBe(401);
    await live.closed;
    expect(live.ended).toEqual(['session_revoked']);
    const [entry] = await auditBy(admin.id);
    expect(entry).toMatchObject({
      action: 'user.role_changed',
      subjectId: u.id,
      details: { before: 'dispatcher', after: 'rider', revokedSessions: 2 },
    });
  });

  it('refuses role changes that would break an account, by field, changing nothing', async () => {
    const admin = await newAdmin();
    const rider = await createUser(web.h.postgres.db, 'rider');
    const riderSession = await sessionOf(web.h, rider);
    const onDuty = await createDriver(web.h.postgres.db);
    await callerFor(web.h, await sessionOf(web.h, onDuty)).driver.setAvailability({ event: 'go_online' });
    const cases: [unknown, number, string][] = [
      [{ userId: rider.id, role: 'driver' }, 400, 'role'],
      [{ userId: onDuty.id, role: 'dispatcher' }, 409, 'role'],
      [{ userId: admin.id, role: 'rider' }, 409, 'userId'],
      [{ userId: rider.id, role: 'superuser' }, 400, 'role'],
      [{ userId: 'not-a-uuid', role: 'rider' }, 400, 'userId'],
      [{ userId: crypto.randomUUID(), role: 'rider' }, 404, 'userId'],
    ];
    for (const [input, status, field] of cases) {
      expect(await refusalOf(web.deps, admin, 'admin.users.changeRole', input)).toEqual({
        status,
        field,
      });
    }
    expect(await requestWithSession(riderSession.sessionId, 'rider.nearbyCars')).not.toBe(401);
    const roles = await web.h.postgres.db.select({ id: users.id, role: users.role }).from(users);
    expect(roles.find((r) => r.id === rider.id)!.role).toBe('rider');
    expect(roles.find((r) => r.id === onDuty.id)!.role).toBe('driver');
    // And an admin cannot suspend themselves either.
    expect(
      await refusalOf(web.deps, admin, 'admin.users.setStatus', { userId: admin.id, status: 'suspended' }),
    ).toEqual({ status: 409, field: 'userId' });
    expect(await auditBy(admin.id)).toEqual([]);
  });

  it('a password reset replaces the hash, ends every session and never logs the password', async () => {
    const admin = await newAdmin();
    const u = await createUser(web.h.postgres.db, 'rider');
    const session = await sessionOf(web.h, u);
    const live = await socketOf(u);
    const short = await httpCall(web.deps, admin, 'admin.users.resetPassword', {
      userId: u.id,
      password: 'abc',
    });
    expect(refusal(short)).toEqual({ status: 400, field: 'password' });
    expect(await requestWithSession(session.sessionId, 'booking.mine')).toBe(200);

    await callerFor(web.h, admin).admin.users.resetPassword({ userId: u.id, password: 'a brand new secret' });
    expect(await requestWithSession(session.sessionId, 'booking.mine')).toBe(401);
    await live.closed;
    expect(await verifyCredentials(web.h.postgres.db, u.email, fixturePassword)).toBeNull();
    expect(await verifyCredentials(web.h.postgres.db, u.email, 'a brand new secret')).toMatchObject({
      id: u.id,
    });
    const open = await web.h.postgres.db.select().from(authSessions).where(eq(authSessions.userId, u.id));
    expect(open.every((s) => s.revokedAt !== null)).toBe(true);
    const audit = await auditBy(admin.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'user.password_changed',
      details: { by: 'admin', revokedSessions: 2 },
    });
    expect(JSON.stringify(audit)).not.toContain('brand new');
  });
});

describe('riders', () => {
  it('lists riders only, with search, sort and pages', async () => {
    const admin = await newAdmin();
    const tag = `rq${uniq()}`;
    for (const n of ['Zara', 'Yash', 'Xavier']) await createUser(web.h.postgres.db, 'rider', `${n} ${tag}`);
    await createUser(web.h.postgres.db, 'dispatcher', `Wes ${tag}`);
    const caller = callerFor(web.h, admin).admin.riders;
    const first = await caller.list({ search: tag, sort: 'name', dir: 'asc', pageSize: 2 });
    expect(first.total).toBe(3);
    expect(first.rows.map((r) => r.name)).toEqual([`Xavier ${tag}`, `Yash ${tag}`]);
    const second = await caller.list({ search: tag, sort: 'name', dir: 'asc', pageSize: 2, page: 2 });
    expect(second.rows.map((r) => r.name)).toEqual([`Zara ${tag}`]);
    // The users list sees every role.
    expect((await callerFor(web.h, admin).admin.users.list({ search: tag })).total).toBe(4);
  });

  it("shows a rider's trips; blocking refuses their next request, unblocking lets them sign in again", async () => {
    const admin = await newAdmin();
    const r = await createUser(web.h.postgres.db, 'rider');
    const { booking } = await book(web.h.booking, r.id);
    const view = await callerFor(web.h, admin).admin.riders.get({ userId: r.id });
    expect(view).toMatchObject({ id: r.id, status: 'active', trips: { total: 1 } });
    expect(view.recent.map((b) => b.id)).toEqual([booking.id]);
    const notARider = await createUser(web.h.postgres.db, 'dispatcher');
    expect(await refusalOf(web.deps, admin, 'admin.riders.get', { userId: notARider.id }, 'query')).toEqual({
      status: 404,
      field: 'userId',
    });

    const session = await sessionOf(web.h, r);
    expect(await requestWithSession(session.sessionId, 'booking.mine')).toBe(200);
    await callerFor(web.h, admin).admin.users.setStatus({
      userId: r.id,
      status: 'suspended',
      reason: 'Fraud',
    });
    expect(await requestWithSession(session.sessionId, 'booking.mine')).toBe(401);
    expect(await verifyCredentials(web.h.postgres.db, r.email, fixturePassword)).toBeNull();
    await callerFor(web.h, admin).admin.users.setStatus({ userId: r.id, status: 'active' });
    expect(await verifyCredentials(web.h.postgres.db, r.email, fixturePassword)).toMatchObject({ id: r.id });
  });
});

describe('there is always an active admin, and a driver on duty keeps their role', () => {
  const activeAdminIds = async () =>
    (
      await web.h.postgres.db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, 'admin'), eq(users.status, 'active')))
    ).map((u) => u.id);

  /** Sessions of this test's database waiting for a lock (row or advisory). */
  const lockWaiters = async () =>
    (
      await web.h.postgres.pool.query<{ n: number }>(
        `select count(*)::int n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`,
      )
    ).rows[0]!.n;

  /**
   * Runs `calls` while a third connection holds the rows of `ids`, and lets go only once both are
   * queued behind it: the two changes then certainly overlap (without serialisation each would
   * see the other still an active admin), however the machine schedules them.
   */
  async function atOnce<T>(ids: string[], calls: () => Promise<T>[]): Promise<T[]> {
    const blocker = await web.h.postgres.pool.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select id from users where id = any($1::uuid[]) for update', [ids]);
      const pending = calls();
      await vi.waitFor(
        async () => ready('both changes wait behind the held rows', (await lockWaiters()) >= 2),
        { timeout: 15_000 },
      );
      await blocker.query('commit');
      return await Promise.all(pending);
    } finally {
      await blocker.query('rollback').catch(() => undefined);
      blocker.release();
    }
  }

  const outcome = (answers: Awaited<ReturnType<typeof httpCall>>[]) =>
    answers.map(refusal).sort((x, y) => x.status - y.status);

  it('two admins demoting or suspending each other at once: one wins, the other gets a 409 by field', async () => {
    const a = await newAdmin();
    const b = await newAdmin();
    // Every earlier test's admin is suspended, so a and b are the only active admins.
    await web.h.postgres.db
      .update(users)
      .set({ status: 'suspended' })
      .where(and(eq(users.role, 'admin'), notInArray(users.id, [a.id, b.id])));
    expect((await activeAdminIds()).sort()).toEqual([a.id, b.id].sort());

    const roles = await atOnce([a.id, b.id], () => [
      httpCall(web.deps, a, 'admin.users.changeRole', { userId: b.id, role: 'dispatcher' }),
      httpCall(web.deps, b, 'admin.users.changeRole', { userId: a.id, role: 'dispatcher' }),
    ]);
    expect(outcome(roles)).toEqual([
      { status: 200, field: null },
      { status: 409, field: 'role' },
    ]);
    expect(roles.find((r) => r.status === 409)!.error!.message).toMatch(/last active admin/);
    const [winner] = await activeAdminIds();
    expect(winner).toBeDefined();
    expect(await activeAdminIds()).toEqual([winner]);
    const loser = winner === a.id ? b : a;
    const survivor = winner === a.id ? a : b;
    await callerFor(web.h, survivor).admin.users.changeRole({ userId: loser.id, role: 'admin' });

    const suspensions = await atOnce([a.id, b.id], () => [
      httpCall(web.deps, a, 'admin.users.setStatus', { userId: b.id, status: 'suspended' }),
      httpCall(web.deps, b, 'admin.users.setStatus', { userId: a.id, status: 'suspended' }),
    ]);
    expect(outcome(suspensions)).toEqual([
      { status: 200, field: null },
      { status: 409, field: 'status' },
    ]);
    expect(await activeAdminIds()).toHaveLength(1);
    const [left] = await activeAdminIds();
    const other = left === a.id ? b : a;
    await callerFor(web.h, left === a.id ? a : b).admin.users.setStatus({
      userId: other.id,
      status: 'active',
    });

    // One demotes while the other suspends: still one admin left.
    const mixed = await atOnce([a.id, b.id], () => [
      httpCall(web.deps, a, 'admin.users.changeRole', { userId: b.id, role: 'rider' }),
      httpCall(web.deps, b, 'admin.users.setStatus', { userId: a.id, status: 'suspended' }),
    ]);
    expect(outcome(mixed).map((o) => o.status)).toEqual([200, 409]);
    expect(await activeAdminIds()).toHaveLength(1);

    // Serially too: an admin (even one already suspended) cannot demote or suspend the last one.
    const [last] = await activeAdminIds();
    const suspended = last === a.id ? b : a;
    await web.h.postgres.db
      .update(users)
      .set({ role: 'admin', status: 'suspended' })
      .where(eq(users.id, suspended.id));
    for (const [path, input, field] of [
      ['admin.users.changeRole', { userId: last, role: 'dispatcher' }, 'role'],
      ['admin.users.setStatus', { userId: last, status: 'suspended' }, 'status'],
    ] as const) {
      expect(await refusalOf(web.deps, suspended, path, input)).toEqual({ status: 409, field });
    }
    expect(await activeAdminIds()).toEqual([last]);
    // Another active admin makes it possible again.
    const c = await newAdmin();
    await callerFor(web.h, c).admin.users.changeRole({ userId: last!, role: 'dispatcher' });
    expect(await activeAdminIds()).toEqual([c.id]);
  }, 60_000);

  it('a driver going on duty while their role changes: the change waits for it and is refused', async () => {
    const admin = await newAdmin();
    const d = await createDriver(web.h.postgres.db);
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    let rowLocked!: () => void;
    const locked = new Promise<void>((resolve) => {
      rowLocked = resolve;
    });
    // Going online, its transaction held open (the driver row locked) until the role change has started.
    const online = web.h.postgres.db.transaction(async (tx) => {
      await changeAvailabilityInTx(tx, { driverId: d.id, event: 'go_online', actor: 'driver' }, Date.now());
      rowLocked();
      await held;
    });
    await Promise.race([locked, online]);
    let settled = false;
    const change = httpCall(web.deps, admin, 'admin.users.changeRole', {
      userId: d.id,
      role: 'rider',
    }).finally(() => {
      settled = true;
    });
    // Without the driver row lock the change would read "offline" and commit at once.
    await vi.waitFor(
      async () =>
        ready(
          'the role change waits for the driver row (or finished)',
          settled ? true : (await lockWaiters()) >= 1,
        ),
      { timeout: 15_000 },
    );
    letGo();
    await online;
    expect(refusal(await change)).toEqual({ status: 409, field: 'role' });
    const [user] = await web.h.postgres.db.select({ role: users.role }).from(users).where(eq(users.id, d.id));
    expect(user!.role).toBe('driver');
    await setAvailability(web.h.core, { driverId: d.id, event: 'go_offline', actor: 'driver' });
  });
});
