import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import type { LocationRecord } from '@/domain/driver-events';
import { offsetMeters } from '@/domain/geo';
import { serviceAreaResolution } from '@/domain/service-area';
import { defaultSurgePolicy } from '@/domain/surge';
import { driverTrackLimits } from '@/server/services/location/driver-track';
import { recordLocationHistory } from '@/server/services/location/record-location-history';
import { type AuditAction, recordAudit } from '@/server/services/platform/audit';
import { defaultServiceArea, deleteSetting, loadSettings } from '@/server/services/platform/settings';
import { away, centre } from './support/booking-helpers';
import { createDriver, createUser } from './support/fixtures';
import { callerFor, httpCall, refusal, refusalOf, sessionOf } from './support/trpc';
import { webWorld } from './support/web-world';

/** Surge caps, the service area, the audit log and the audited driver history, on real PostgreSQL. */
const web = webWorld('adminsettings');

const newAdmin = async () => sessionOf(web.h, await createUser(web.h.postgres.db, 'admin'));

async function auditBy(actorId: string) {
  return web.h.postgres.db.select().from(auditLog).where(eq(auditLog.actorId, actorId)).orderBy(auditLog.id);
}

describe('surge policy', () => {
  it('saves a new cap and policy, audited with before and after', async () => {
    const admin = await newAdmin();
    const before = (await loadSettings(web.h.postgres.db)).surge;
    const policy = { cap: 1.8, threshold: 1.5, slope: 0.4, neighbourWeight: 0.25 };
    expect(await callerFor(web.h, admin).admin.settings.updateSurge(policy)).toEqual(policy);
    expect((await loadSettings(web.h.postgres.db)).surge).toEqual(policy);
    expect((await callerFor(web.h, admin).admin.settings.get()).surge).toEqual(policy);
    const [entry] = await auditBy(admin.id);
    expect(entry).toMatchObject({
      action: 'settings.changed',
      subjectId: 'surge',
      details: { key: 'surge', before, after: policy },
    });
  });

  it('refuses out-of-range values by field and keeps the policy', async () => {
    const admin = await newAdmin();
    const before = (await loadSettings(web.h.postgres.db)).surge;
    const ok = { cap: 2, threshold: 1, slope: 0.5, neighbourWeight: 0.5 };
    const cases: [unknown, string][] = [
      [{ ...ok, cap: 6 }, 'cap'],
      [{ ...ok, cap: 0.9 }, 'cap'],
      [{ ...ok, threshold: 0 }, 'threshold'],
      [{ ...ok, slope: -1 }, 'slope'],
      [{ ...ok, neighbourWeight: 1.5 }, 'neighbourWeight'],
      [{ ...ok, cap: 'lots' }, 'cap'],
    ];
    for (const [input, field] of cases) {
      expect(await refusalOf(web.deps, admin, 'admin.settings.updateSurge', input)).toEqual({
        status: 400,
        field,
      });
    }
    expect((await loadSettings(web.h.postgres.db)).surge).toEqual(before);
    expect(await auditBy(admin.id)).toEqual([]);
  });

  it('two first edits at once: the later one records the earlier as what it replaced', async () => {
    // No row yet (the default applies), so there is nothing for a row lock to hold.
    await deleteSetting(web.h.postgres.db, 'surge');
    const [a, b] = await Promise.all([newAdmin(), newAdmin()]);
    const policies = [
      { cap: 2.5, threshold: 1.2, slope: 0.3, neighbourWeight: 0.1 },
      { cap: 3.5, threshold: 1.4, slope: 0.6, neighbourWeight: 0.2 },
    ] as const;
    await Promise.all([
      callerFor(web.h, a).admin.settings.updateSurge(policies[0]),
      callerFor(web.h, b).admin.settings.updateSurge(policies[1]),
    ]);
    const entries = (await Promise.all([auditBy(a.id), auditBy(b.id)])).flat().sort((x, y) => x.id - y.id);
    expect(entries).toHaveLength(2);
    const [first, second] = entries.map((e) => e.details as { before: unknown; after: unknown });
    expect(first!.before).toEqual(defaultSurgePolicy);
    expect(second!.before).toEqual(first!.after);
    expect((await loadSettings(web.h.postgres.db)).surge).toEqual(second!.after);
  });
});

describe('service area', () => {
  const home = latLngToCell(centre.lat, centre.lng, serviceAreaResolution);

  it("is replaced by a set of res-7 cells that the rider's next quote is checked against", async () => {
    const admin = await newAdmin();
    const rider = await sessionOf(web.h, await createUser(web.h.postgres.db, 'rider'));
    const far = offsetMeters(centre, 15_000, 0);
    const trip = { pickup: centre, dropoff: away(1_500), vehicleTypeId: 'economy' };
    expect((await httpCall(web.deps, rider, 'pricing.quote', { ...trip, pickup: far })).status).toBe(200);
    try {
      const cells = gridDisk(home, 1);
      // Duplicates and upper case are folded; the answer says what changed.
      const saved = await callerFor(web.h, admin).admin.settings.setServiceArea({
        cells: [...cells, cells[0]!.toUpperCase()],
      });
      expect(saved).toMatchObject({ cells: [...cells].sort(), added: 0 });
      expect(saved.removed).toBe(defaultServiceArea().length - cells.length);
      expect(await refusalOf(web.deps, rider, 'pricing.quote', { ...trip, pickup: far })).toEqual({
        status: 400,
        field: 'pickup',
      });
      expect((await httpCall(web.deps, rider, 'pricing.quote', trip)).status).toBe(200);
      const [entry] = await auditBy(admin.id);
      expect(entry).toMatchObject({
        action: 'settings.changed',
        subjectId: 'serviceAreaCells',
        details: { key: 'serviceAreaCells', count: 7, addedCount: 0, removedCount: saved.removed },
      });
    } finally {
      await deleteSetting(web.h.postgres.db, 'serviceAreaCells');
    }
  });

  it('refuses cells that are not H3, of another resolution, too many or none, naming the cell', async () => {
    const admin = await newAdmin();
    const res8 = latLngToCell(centre.lat, centre.lng, 8);
    const cases: [unknown, string][] = [
      [{ cells: [home, 'not-a-cell'] }, 'cells.1'],
      [{ cells: [home, home, res8] }, 'cells.2'],
      [{ cells: [] }, 'cells'],
      [{ cells: gridDisk(home, 26) }, 'cells'],
      [{ cells: 'everywhere' }, 'cells'],
    ];
    expect(gridDisk(home, 26).length).toBeGreaterThan(2_000);
    for (const [input, field] of cases) {
      expect(await refusalOf(web.deps, admin, 'admin.settings.setServiceArea', input)).toEqual({
        status: 400,
        field,
      });
    }
    // A long string is refused for its length, before h3-js parses it.
    const long = await httpCall(web.deps, admin, 'admin.settings.setServiceArea', {
      cells: [home, `${home}${'f'.repeat(100)}`],
    });
    expect(refusal(long)).toEqual({ status: 400, field: 'cells.1' });
    expect(long.error?.message).toMatch(/too long to be an H3 cell/);
    expect((await loadSettings(web.h.postgres.db)).serviceAreaCells).toEqual(defaultServiceArea());
    expect(await auditBy(admin.id)).toEqual([]);
  });
});

describe('audit log', () => {
  it('lists entries newest first with actor names, filtered by action, actor and subject, paged by keyset', async () => {
    const admin = await newAdmin();
    const person = await createUser(web.h.postgres.db, 'rider', 'Audited Person');
    const subject = randomUUID();
    const start = Date.now() - 1_000_000;
    // 150 entries about one vehicle: one in three a vehicle change, the rest driver changes.
    for (let i = 0; i < 150; i++) {
      const action: AuditAction = i % 3 === 0 ? 'vehicle.changed' : 'driver.changed';
      await recordAudit(web.h.postgres.db, {
        action,
        actor: admin,
        subject: { type: 'vehicle', id: subject },
        details: { n: i },
        at: start + i * 1_000,
      });
    }
    const caller = callerFor(web.h, admin).admin;
    const first = await caller.audit({ subjectId: subject });
    expect(first.entries).toHaveLength(100);
    expect(first.entries[0]!.details).toEqual({ n: 149 });
    const ids = first.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    expect(first.entries.every((e) => e.actorName === admin.name && e.subjectName === null)).toBe(true);
    expect(first.nextBeforeId).not.toBeNull();
    const rest = await caller.audit({ subjectId: subject, beforeId: first.nextBeforeId! });
    expect(rest.entries).toHaveLength(50);
    expect(rest.nextBeforeId).toBeNull();
    expect(new Set([...ids, ...rest.entries.map((e) => e.id)]).size).toBe(150);
    expect(rest.entries.at(-1)!.details).toEqual({ n: 0 });
    const vehiclesOnly = await caller.audit({ subjectId: subject, action: 'vehicle.changed' });
    expect(vehiclesOnly.entries).toHaveLength(50);
    expect(vehiclesOnly.entries.every((e) => e.action === 'vehicle.changed')).toBe(true);
    expect((await caller.audit({ actorId: admin.id })).entries).toHaveLength(100);

    // An entry about a person carries their name.
    await recordAudit(web.h.postgres.db, {
      action: 'user.suspended',
      actor: admin,
      subject: { type: 'user', id: person.id },
      at: Date.now(),
    });
    const [aboutPerson] = (await caller.audit({ subjectId: person.id })).entries;
    expect(aboutPerson).toMatchObject({ action: 'user.suspended', subjectName: 'Audited Person' });

    // Bad filters are refused by field; only admins read the log.
    expect(await refusalOf(web.deps, admin, 'admin.audit', { actorId: 'nobody' }, 'query')).toEqual({
      status: 400,
      field: 'actorId',
    });
    expect(await refusalOf(web.deps, admin, 'admin.audit', { action: 'user.deleted' }, 'query')).toEqual({
      status: 400,
      field: 'action',
    });
    for (const role of ['rider', 'driver', 'dispatcher'] as const) {
      const other = await sessionOf(web.h, await createUser(web.h.postgres.db, role));
      await expect(callerFor(web.h, other).admin.audit({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});

describe("a driver's history", () => {
  it('is shown to dispatchers for at most 24 h, and every look is audited', async () => {
    const dispatcher = await sessionOf(web.h, await createUser(web.h.postgres.db, 'dispatcher'));
    const driver = await createDriver(web.h.postgres.db);
    const sessionId = randomUUID();
    const now = Date.now();
    const point = (seq: number, at: number): LocationRecord => ({
      driverId: driver.id,
      sessionId,
      seq,
      at,
      lat: centre.lat + seq * 1e-5,
      lng: centre.lng,
      accuracyM: 5,
      receivedAt: at + 50,
      state: 'available',
      vehicleTypeId: 'economy',
    });
    // 30 positions 4 s apart in the last two minutes, and one two hours ago (outside the window).
    const recent = Array.from({ length: 30 }, (_, i) => point(i + 2, now - 120_000 + i * 4_000));
    await recordLocationHistory(web.h.postgres.pool, [point(1, now - 2 * 3_600_000), ...recent]);

    const window = { driverId: driver.id, from: now - 600_000, to: now + 1 };
    const answer = await httpCall<{
      name: string;
      points: { at: number; seq: number }[];
      truncated: boolean;
    }>(web.deps, dispatcher, 'operations.driverTrack', window, 'mutation', { 'x-real-ip': '203.0.113.7' });
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ name: driver.name, truncated: false });
    expect(answer.data!.points.map((p) => p.seq)).toEqual(recent.map((r) => r.seq));
    expect(answer.data!.points.map((p) => p.at)).toEqual(recent.map((r) => r.at));

    const looks = () =>
      web.h.postgres.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'driver_history.viewed'), eq(auditLog.subjectId, driver.id)))
        .orderBy(auditLog.id);
    expect(await looks()).toEqual([
      expect.objectContaining({
        actorId: dispatcher.id,
        actorRole: 'dispatcher',
        subjectType: 'user',
        ip: '203.0.113.7',
        details: { from: window.from, to: window.to, points: 30, truncated: false },
      }),
    ]);

    // Admins may look too, and are audited the same way.
    const admin = await newAdmin();
    await callerFor(web.h, admin).operations.driverTrack(window);
    expect((await looks()).map((e) => e.actorRole)).toEqual(['dispatcher', 'admin']);

    // Refused windows and unknown drivers show nothing and write nothing.
    const refused: [unknown, number, string][] = [
      [{ ...window, from: now - driverTrackLimits.maxWindowMs - 1, to: now }, 400, 'to'],
      [{ ...window, from: now, to: now }, 400, 'to'],
      [{ ...window, driverId: 'someone' }, 400, 'driverId'],
      [{ ...window, driverId: randomUUID() }, 404, 'driverId'],
      [{ ...window, driverId: dispatcher.id }, 404, 'driverId'],
    ];
    for (const [input, status, field] of refused) {
      expect(await refusalOf(web.deps, dispatcher, 'operations.driverTrack', input, 'mutation')).toEqual({
        status,
        field,
      });
    }
    for (const role of ['rider', 'driver'] as const) {
      const other = await sessionOf(web.h, await createUser(web.h.postgres.db, role));
      expect((await httpCall(web.deps, other, 'operations.driverTrack', window, 'mutation')).status).toBe(
        403,
      );
    }
    expect(await looks()).toHaveLength(2);
  });
});
