import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { gridDisk, latLngToCell } from 'h3-js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, drivers } from '@/db/schema';
import type { SessionUser } from '@/server/auth/session-user';
import { centre } from './support/booking-helpers';
import { createDriver, createUser } from './support/fixtures';
import { callerFor, httpCall, sessionOf } from './support/trpc';
import { webWorld } from './support/web-world';

/**
 * Every admin change and its audit entry commit together or not at all: with the audit table made
 * to refuse inserts (a trigger in this file's own database), each mutation fails and leaves every
 * table exactly as it was; without it, each writes exactly one entry. Every admin procedure is
 * refused to every other role.
 */
const web = webWorld('adminatomic');
beforeAll(async () => {
  await web.h.postgres.pool.query(`
    create function test_refuse_audit() returns trigger language plpgsql as $$
    begin raise exception 'audit_log refuses inserts in this test'; end $$`);
});
afterEach(() => refuseAudit(false));

async function refuseAudit(on: boolean) {
  await web.h.postgres.pool.query(
    on
      ? 'create trigger test_refuse_audit before insert on audit_log for each row execute function test_refuse_audit()'
      : 'drop trigger if exists test_refuse_audit on audit_log',
  );
}

const tables = [
  'users',
  'drivers',
  'vehicles',
  'vehicle_types',
  'fare_tables',
  'settings',
  'auth_sessions',
  'audit_log',
];

/** A fingerprint of every row of every table an admin use case writes. */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const { rows } = await web.h.postgres.pool.query<{ digest: string }>(
      `select count(*) || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest from ${t} x`,
    );
    out[t] = rows[0]!.digest;
  }
  return out;
}

const uniq = () => randomBytes(3).toString('hex');
const fare = { baseFare: 4_500, perKm: 1_300, perMinute: 150, minimumFare: 8_500, bookingFee: 1_000 };

interface World {
  admin: SessionUser;
  vehicleId: string;
  assignedVehicleId: string;
  freeDriverId: string;
  subjectUserId: string;
  pendingDriverId: string;
}

/** Fresh subjects for each run, so every mutation below really changes something. */
async function world(): Promise<World> {
  const admin = await sessionOf(web.h, await createUser(web.h.postgres.db, 'admin'));
  const free = await createDriver(web.h.postgres.db, { vehicleTypeId: null });
  const assigned = await createDriver(web.h.postgres.db);
  const pending = await createDriver(web.h.postgres.db, { vehicleTypeId: null });
  await web.h.postgres.db
    .update(drivers)
    .set({ documentStatus: 'pending' })
    .where(eq(drivers.userId, pending.id));
  const subject = await createUser(web.h.postgres.db, 'dispatcher');
  await sessionOf(web.h, subject);
  const vehicle = await callerFor(web.h, admin).admin.vehicles.create({
    plate: `AT-${uniq()}`,
    vehicleTypeId: 'economy',
    make: 'Maruti',
    model: 'Swift',
    color: 'Red',
    capacity: 4,
  });
  return {
    admin,
    vehicleId: vehicle.id,
    assignedVehicleId: assigned.vehicleId!,
    freeDriverId: free.id,
    subjectUserId: subject.id,
    pendingDriverId: pending.id,
  };
}

/** Each admin mutation with an input that changes something in `w`. */
function mutations(w: World): [string, unknown][] {
  const u = uniq();
  return [
    ['admin.vehicleTypes.create', { id: `t-${u}`, name: `Type ${u}`, seats: 4, fare }],
    ['admin.vehicleTypes.rename', { id: 'comfort', name: `Comfort ${u}` }],
    ['admin.vehicleTypes.setSeats', { id: 'moto', seats: 2 }],
    ['admin.vehicleTypes.setActive', { id: 'xl', active: false }],
    [
      'admin.settings.updateFare',
      { vehicleTypeId: 'economy', fare: { ...fare, perKm: 1_000 + (Number.parseInt(u, 16) % 500) } },
    ],
    ['admin.settings.updateSurge', { cap: 2, threshold: 1.2, slope: 0.3, neighbourWeight: 0.4 }],
    ['admin.settings.setServiceArea', { cells: gridDisk(latLngToCell(centre.lat, centre.lng, 7), 2) }],
    [
      'admin.vehicles.create',
      { plate: `AC-${u}`, vehicleTypeId: 'economy', make: 'A', model: 'B', color: 'C', capacity: 4 },
    ],
    [
      'admin.vehicles.edit',
      {
        vehicleId: w.vehicleId,
        plate: `AE-${u}`,
        vehicleTypeId: 'economy',
        make: 'A',
        model: 'B',
        color: 'C',
        capacity: 4,
      },
    ],
    ['admin.vehicles.setStatus', { vehicleId: w.vehicleId, status: 'maintenance' }],
    ['admin.vehicles.assign', { vehicleId: w.vehicleId, driverId: w.freeDriverId }],
    ['admin.vehicles.unassign', { vehicleId: w.assignedVehicleId }],
    [
      'admin.drivers.onboard',
      {
        name: 'New One',
        email: `new-${u}@it.test`,
        phone: '+91 90000 00000',
        licenseNumber: `DL-${u}`,
        password: 'a good password',
      },
    ],
    ['admin.drivers.setDocuments', { driverId: w.pendingDriverId, status: 'verified' }],
    ['admin.users.setStatus', { userId: w.subjectUserId, status: 'suspended' }],
    ['admin.users.changeRole', { userId: w.subjectUserId, role: 'rider' }],
    ['admin.users.resetPassword', { userId: w.subjectUserId, password: 'another password' }],
    ['admin.users.revealPii', { userId: w.freeDriverId, field: 'licenseNumber' }],
  ];
}

describe('a change and its audit entry commit together', () => {
  it('when the audit entry cannot be written, no admin mutation changes anything', async () => {
    const w = await world();
    const before = await snapshot();
    await refuseAudit(true);
    for (const [path, input] of mutations(w)) {
      const answer = await httpCall(web.deps, w.admin, path, input);
      expect({ path, status: answer.status, data: answer.data }).toEqual({
        path,
        status: 500,
        data: undefined,
      });
      expect(await snapshot()).toEqual(before);
    }
    // Nor is a driver's history shown without its audit entry.
    const track = await httpCall(
      web.deps,
      w.admin,
      'operations.driverTrack',
      { driverId: w.freeDriverId, from: Date.now() - 60_000, to: Date.now() },
      'mutation',
    );
    expect(track.status).toBe(500);
  });

  it('otherwise each admin mutation writes exactly one audit entry, in the transaction of its change, with the address', async () => {
    const w = await world();
    for (const [path, input] of mutations(w)) {
      const before = await web.h.postgres.db.select().from(auditLog).where(eq(auditLog.actorId, w.admin.id));
      const answer = await httpCall(web.deps, w.admin, path, input, 'mutation', {
        'x-real-ip': '203.0.113.9',
      });
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      const after = await web.h.postgres.db.select().from(auditLog).where(eq(auditLog.actorId, w.admin.id));
      expect({ path, added: after.length - before.length }).toEqual({ path, added: 1 });
      const entry = after.at(-1)!;
      expect({ path, ip: entry.ip }).toEqual({ path, ip: '203.0.113.9' });
      if (entry.action === 'pii.viewed') continue;
      // xmin is the id of the transaction that wrote a row version: the same for both, or not.
      const changed = changedRow(entry);
      const { rows: a } = await web.h.postgres.pool.query(
        'select xmin::text as tx from audit_log where id = $1',
        [entry.id],
      );
      const { rows: c } = await web.h.postgres.pool.query(
        `select xmin::text as tx from ${changed.table} where ${changed.key}::text = $1`,
        [entry.subjectId],
      );
      expect({ path, tx: c[0]?.tx }).toEqual({ path, tx: a[0]!.tx });
    }
    // Restore what the other tests in this file rely on.
    await callerFor(web.h, w.admin).admin.vehicleTypes.setActive({ id: 'xl', active: true });
  });
});

/** The row an audit entry describes, to compare the transactions that wrote them. */
function changedRow(entry: typeof auditLog.$inferSelect): { table: string; key: string } {
  if (entry.action === 'fare_table.changed') return { table: 'fare_tables', key: 'vehicle_type_id' };
  if (entry.subjectType === 'vehicle_type') return { table: 'vehicle_types', key: 'id' };
  if (entry.subjectType === 'vehicle') return { table: 'vehicles', key: 'id' };
  if (entry.subjectType === 'setting') return { table: 'settings', key: 'key' };
  if (entry.action === 'driver.changed') return { table: 'drivers', key: 'user_id' };
  return { table: 'users', key: 'id' };
}

/** Every admin procedure, with the kind of request it takes. */
const adminProcedures: [string, 'query' | 'mutation'][] = [
  ['admin.vehicleTypes.list', 'query'],
  ['admin.vehicleTypes.create', 'mutation'],
  ['admin.vehicleTypes.rename', 'mutation'],
  ['admin.vehicleTypes.setSeats', 'mutation'],
  ['admin.vehicleTypes.setActive', 'mutation'],
  ['admin.vehicles.list', 'query'],
  ['admin.vehicles.create', 'mutation'],
  ['admin.vehicles.edit', 'mutation'],
  ['admin.vehicles.setStatus', 'mutation'],
  ['admin.vehicles.assign', 'mutation'],
  ['admin.vehicles.unassign', 'mutation'],
  ['admin.drivers.list', 'query'],
  ['admin.drivers.onboard', 'mutation'],
  ['admin.drivers.setDocuments', 'mutation'],
  ['admin.riders.list', 'query'],
  ['admin.riders.get', 'query'],
  ['admin.users.list', 'query'],
  ['admin.users.setStatus', 'mutation'],
  ['admin.users.changeRole', 'mutation'],
  ['admin.users.resetPassword', 'mutation'],
  ['admin.users.revealPii', 'mutation'],
  ['admin.settings.get', 'query'],
  ['admin.settings.updateFare', 'mutation'],
  ['admin.settings.updateSurge', 'mutation'],
  ['admin.settings.setServiceArea', 'mutation'],
  ['admin.audit', 'query'],
];

describe('only admins', () => {
  it('every admin procedure is refused to riders, drivers and dispatchers (403) and to anonymous callers (401)', async () => {
    const w = await world();
    const valid = new Map(mutations(w));
    const others = [
      await sessionOf(web.h, await createUser(web.h.postgres.db, 'rider')),
      await sessionOf(web.h, await createDriver(web.h.postgres.db)),
      await sessionOf(web.h, await createUser(web.h.postgres.db, 'dispatcher')),
    ];
    const before = await snapshot();
    for (const user of others) {
      for (const [path, kind] of adminProcedures) {
        const answer = await httpCall(web.deps, user, path, valid.get(path) ?? {}, kind);
        expect({ role: user.role, path, status: answer.status }).toEqual({
          role: user.role,
          path,
          status: 403,
        });
      }
    }
    for (const [path, kind] of adminProcedures) {
      const answer = await httpCall(web.deps, null, path, valid.get(path) ?? {}, kind);
      expect({ path, status: answer.status }).toEqual({ path, status: 401 });
    }
    // Refused callers changed nothing at all.
    expect(await snapshot()).toEqual(before);
  });
});
