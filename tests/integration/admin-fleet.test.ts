import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { fareMinor } from '@/components/admin/numbers';
import { auditLog, fareTables, vehicles, vehicleTypes } from '@/db/schema';
import { maxPageSize } from '@/server/services/admin/internal/list-params';
import { away, centre } from './support/booking-helpers';
import { createDriver, createUser } from './support/fixtures';
import { callerFor, httpCall, refusal, refusalOf, sessionOf } from './support/trpc';
import { webWorld } from './support/web-world';

/**
 * Vehicle types, fare tables and vehicles through the admin router on real PostgreSQL: every
 * success writes its change and one audit entry; every refusal names its field and writes nothing.
 */
const web = webWorld('adminfleet');

/** A fresh admin per test: rate limits are per user, and audit entries are found by actor. */
const newAdmin = async () => sessionOf(web.h, await createUser(web.h.postgres.db, 'admin'));
const uniq = () => randomBytes(3).toString('hex');
const fare = { baseFare: 5_000, perKm: 1_000, perMinute: 100, minimumFare: 9_000, bookingFee: 500 };

async function auditBy(actorId: string) {
  return web.h.postgres.db.select().from(auditLog).where(eq(auditLog.actorId, actorId)).orderBy(auditLog.id);
}

async function typeRow(id: string) {
  const [row] = await web.h.postgres.db.select().from(vehicleTypes).where(eq(vehicleTypes.id, id));
  return row;
}

async function vehicleRow(id: string) {
  const [row] = await web.h.postgres.db.select().from(vehicles).where(eq(vehicles.id, id));
  return row!;
}

describe('vehicle types', () => {
  it('creates a type with its fare table and one audit entry, listed with its fare', async () => {
    const admin = await newAdmin();
    const id = `van-${uniq()}`;
    const created = await callerFor(web.h, admin).admin.vehicleTypes.create({
      id,
      name: `Van ${id}`,
      seats: 7,
      fare,
    });
    expect(created).toMatchObject({ id, seats: 7, active: true });
    const [table] = await web.h.postgres.db.select().from(fareTables).where(eq(fareTables.vehicleTypeId, id));
    expect(table).toMatchObject(fare);
    const audit = await auditBy(admin.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'vehicle_type.changed',
      actorRole: 'admin',
      subjectType: 'vehicle_type',
      subjectId: id,
      details: { change: 'created', seats: 7, fare },
    });
    const listed = await callerFor(web.h, admin).admin.vehicleTypes.list();
    expect(listed.find((t) => t.id === id)).toMatchObject({ fare, vehiclesInService: 0, active: true });
    // Riders see it in the catalogue at once.
    const rider = await sessionOf(web.h, await createUser(web.h.postgres.db, 'rider'));
    expect((await callerFor(web.h, rider).catalog.vehicleTypes()).map((t) => t.id)).toContain(id);
  });

  it('refuses a taken id or name and bad fields, naming the field and writing nothing', async () => {
    const admin = await newAdmin();
    const base = { id: `cab-${uniq()}`, name: `Cab ${uniq()}`, seats: 4, fare };
    const cases: [unknown, number, string][] = [
      [{ ...base, id: 'economy' }, 409, 'id'],
      [{ ...base, name: 'ECONOMY' }, 409, 'name'],
      [{ ...base, id: 'Has Spaces' }, 400, 'id'],
      [{ ...base, name: '   ' }, 400, 'name'],
      [{ ...base, seats: 0 }, 400, 'seats'],
      [{ ...base, seats: 2.5 }, 400, 'seats'],
      [{ ...base, fare: { ...fare, perKm: -1 } }, 400, 'fare.perKm'],
      [{ ...base, fare: { ...fare, baseFare: 2_000_000 } }, 400, 'fare.baseFare'],
      [{ ...base, fare: { ...fare, minimumFare: 100 } }, 400, 'fare.minimumFare'],
    ];
    for (const [input, status, field] of cases) {
      expect(await refusalOf(web.deps, admin, 'admin.vehicleTypes.create', input)).toEqual({
        status,
        field,
      });
    }
    expect(await typeRow(base.id)).toBeUndefined();
    expect(await auditBy(admin.id)).toEqual([]);
  });

  it('renames and changes seats, auditing before and after', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin.vehicleTypes;
    const id = `suv-${uniq()}`;
    await caller.create({ id, name: `SUV ${id}`, seats: 5, fare });
    await caller.rename({ id, name: `Big SUV ${id}` });
    await caller.setSeats({ id, seats: 6 });
    expect(await typeRow(id)).toMatchObject({ name: `Big SUV ${id}`, seats: 6 });
    const details = (await auditBy(admin.id)).map((a) => a.details);
    expect(details.slice(1)).toEqual([
      { change: 'renamed', before: `SUV ${id}`, after: `Big SUV ${id}` },
      { change: 'seats', before: 5, after: 6 },
    ]);
    // Renaming to what another type is called, or an unknown type, is refused by field.
    expect(await refusalOf(web.deps, admin, 'admin.vehicleTypes.rename', { id, name: 'comfort' })).toEqual({
      status: 409,
      field: 'name',
    });
    expect(await refusalOf(web.deps, admin, 'admin.vehicleTypes.setSeats', { id: 'nope', seats: 3 })).toEqual(
      {
        status: 404,
        field: 'id',
      },
    );
  });

  it('refuses more seats than a vehicle of the type in service has', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin;
    const id = `mini-${uniq()}`;
    await caller.vehicleTypes.create({ id, name: `Mini ${id}`, seats: 3, fare });
    await caller.vehicles.create({
      plate: `MN-${uniq()}`,
      vehicleTypeId: id,
      make: 'M',
      model: 'N',
      color: 'Red',
      capacity: 4,
    });
    const answer = await httpCall(web.deps, admin, 'admin.vehicleTypes.setSeats', { id, seats: 5 });
    expect(refusal(answer)).toEqual({ status: 409, field: 'seats' });
    expect(answer.error?.message).toContain('1 vehicle(s)');
    expect((await typeRow(id))!.seats).toBe(3);
    await caller.vehicleTypes.setSeats({ id, seats: 4 });
    expect((await typeRow(id))!.seats).toBe(4);
  });

  it('brings a retired vehicle back only if its type still seats it and is in service', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin;
    const id = `mini-${uniq()}`;
    await caller.vehicleTypes.create({ id, name: `Mini ${id}`, seats: 3, fare });
    const car = await caller.vehicles.create({
      plate: `MR-${uniq()}`,
      vehicleTypeId: id,
      make: 'M',
      model: 'R',
      color: 'Red',
      capacity: 4,
    });
    await caller.vehicles.setStatus({ vehicleId: car.id, status: 'retired' });
    await caller.vehicleTypes.setSeats({ id, seats: 5 });
    const answer = await httpCall(web.deps, admin, 'admin.vehicles.setStatus', {
      vehicleId: car.id,
      status: 'active',
    });
    expect(refusal(answer)).toEqual({ status: 400, field: 'capacity' });
    expect((await vehicleRow(car.id)).status).toBe('retired');
  });

  it('retires a type (no longer quoted, no new vehicles) and brings it back', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin;
    const rider = await sessionOf(web.h, await createUser(web.h.postgres.db, 'rider'));
    const id = `eco-${uniq()}`;
    await caller.vehicleTypes.create({ id, name: `Eco ${id}`, seats: 4, fare });
    const trip = { pickup: centre, dropoff: away(2_000), vehicleTypeId: id };
    expect((await httpCall(web.deps, rider, 'pricing.quote', trip)).status).toBe(200);

    await caller.vehicleTypes.setActive({ id, active: false });
    expect(await refusalOf(web.deps, rider, 'pricing.quote', trip)).toEqual({
      status: 400,
      field: 'vehicleTypeId',
    });
    const vehicle = {
      plate: `RT-${uniq()}`,
      vehicleTypeId: id,
      make: 'A',
      model: 'B',
      color: 'Blue',
      capacity: 4,
    };
    expect(await refusalOf(web.deps, admin, 'admin.vehicles.create', vehicle)).toEqual({
      status: 400,
      field: 'vehicleTypeId',
    });

    await caller.vehicleTypes.setActive({ id, active: true });
    expect((await httpCall(web.deps, rider, 'pricing.quote', trip)).status).toBe(200);
    expect((await auditBy(admin.id)).map((a) => (a.details as { change: string }).change)).toEqual([
      'created',
      'retired',
      'reactivated',
    ]);
  });

  it('never retires the last active type', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin.vehicleTypes;
    const active = (await caller.list()).filter((t) => t.active).map((t) => t.id);
    const [keep, ...others] = active;
    try {
      for (const id of others) await caller.setActive({ id, active: false });
      const answer = await httpCall(web.deps, admin, 'admin.vehicleTypes.setActive', {
        id: keep,
        active: false,
      });
      expect(refusal(answer)).toEqual({ status: 409, field: 'id' });
      expect((await typeRow(keep!))!.active).toBe(true);
    } finally {
      for (const id of others) await caller.setActive({ id, active: true });
    }
  });
});

describe('fare tables', () => {
  it("changes a type's fare; the rider's next quote uses it", async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin;
    const rider = await sessionOf(web.h, await createUser(web.h.postgres.db, 'rider'));
    const id = `fare-${uniq()}`;
    await caller.vehicleTypes.create({ id, name: `Fare ${id}`, seats: 4, fare });
    const trip = { pickup: centre, dropoff: away(3_000, 1_000), vehicleTypeId: id, scheduledFor: null };
    const before = await callerFor(web.h, rider).pricing.quote(trip);
    expect(before.fare).toMatchObject({ base: 5_000, bookingFee: 500 });

    const next = { baseFare: 7_700, perKm: 2_000, perMinute: 300, minimumFare: 20_000, bookingFee: 1_500 };
    const saved = await caller.settings.updateFare({ vehicleTypeId: id, fare: next });
    expect(saved).toMatchObject(next);
    const after = await callerFor(web.h, rider).pricing.quote(trip);
    expect(after.fare).toMatchObject({ base: 7_700, bookingFee: 1_500 });
    expect(after.fare.distance).toBe(Math.round((after.fare.distanceM / 1000) * 2_000));
    expect(after.fare.total).toBeGreaterThan(before.fare.total);

    const [entry] = (await auditBy(admin.id)).filter((a) => a.action === 'fare_table.changed');
    expect(entry).toMatchObject({ subjectId: id, details: { before: fare, after: next } });
  });

  it('refuses out-of-range fares by field and keeps the old table', async () => {
    const admin = await newAdmin();
    const cases: [unknown, number, string][] = [
      [{ vehicleTypeId: 'economy', fare: { ...fare, perMinute: 1.5 } }, 400, 'fare.perMinute'],
      [{ vehicleTypeId: 'economy', fare: { ...fare, bookingFee: 100_001 } }, 400, 'fare.bookingFee'],
      [{ vehicleTypeId: 'economy', fare: { ...fare, minimumFare: -5 } }, 400, 'fare.minimumFare'],
      [{ vehicleTypeId: 'economy', fare: { ...fare, baseFare: undefined } }, 400, 'fare.baseFare'],
      [{ vehicleTypeId: 'no-such-type', fare }, 404, 'vehicleTypeId'],
    ];
    const [before] = await web.h.postgres.db
      .select()
      .from(fareTables)
      .where(eq(fareTables.vehicleTypeId, 'economy'));
    for (const [input, status, field] of cases) {
      expect(await refusalOf(web.deps, admin, 'admin.settings.updateFare', input)).toEqual({
        status,
        field,
      });
    }
    const [after] = await web.h.postgres.db
      .select()
      .from(fareTables)
      .where(eq(fareTables.vehicleTypeId, 'economy'));
    expect(after).toEqual(before);
    expect(await auditBy(admin.id)).toEqual([]);
  });
});

describe('fares as the admin forms send them', () => {
  // What the form types (pesos) goes through the form's own conversion, then the real router.
  const typed = { baseFare: '50', perKm: '10', perMinute: '1', minimumFare: '90', bookingFee: '5' };

  it('refuses an amount finer than a centésimo by field instead of rounding it; two decimals save exactly', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin;
    const id = `cents-${uniq()}`;
    const tooFine = await httpCall(web.deps, admin, 'admin.vehicleTypes.create', {
      id,
      name: `Cents ${id}`,
      seats: 4,
      fare: fareMinor({ ...typed, bookingFee: '5.125' }),
    });
    expect(refusal(tooFine)).toEqual({ status: 400, field: 'fare.bookingFee' });
    expect(await typeRow(id)).toBeUndefined();

    await caller.vehicleTypes.create({ id, name: `Cents ${id}`, seats: 4, fare: fareMinor(typed) });
    const tableOf = async () =>
      (await web.h.postgres.db.select().from(fareTables).where(eq(fareTables.vehicleTypeId, id)))[0];
    const before = await tableOf();
    expect(before).toMatchObject({ baseFare: 5_000, perKm: 1_000, perMinute: 100, bookingFee: 500 });
    for (const [field, text] of [
      ['perKm', '10.005'],
      ['perMinute', '0.001'],
      ['baseFare', '49.999'],
    ] as const) {
      const answer = await httpCall(web.deps, admin, 'admin.settings.updateFare', {
        vehicleTypeId: id,
        fare: fareMinor({ ...typed, [field]: text }),
      });
      expect(refusal(answer)).toEqual({ status: 400, field: `fare.${field}` });
      expect(answer.error?.message).toBe(
        `fare.${field}: must be whole centésimos: at most two decimal places`,
      );
    }
    expect(await tableOf()).toEqual(before);

    // Two decimals (or trailing zeros) are exact, where × 100 in floating point is not (0.29 × 100 = 28.99…).
    await caller.settings.updateFare({
      vehicleTypeId: id,
      fare: fareMinor({ ...typed, perKm: '12.34', perMinute: '0.29', bookingFee: '1.1500' }),
    });
    expect(await tableOf()).toMatchObject({ perKm: 1_234, perMinute: 29, bookingFee: 115 });
    expect(
      (await auditBy(admin.id)).filter((a) => a.action === 'fare_table.changed').map((a) => a.details),
    ).toEqual([{ before: fare, after: { ...fare, perKm: 1_234, perMinute: 29, bookingFee: 115 } }]);
  });
});

describe('vehicles', () => {
  const newVehicle = () => ({
    plate: `KA 09 ${uniq().toUpperCase()}`,
    vehicleTypeId: 'economy',
    make: 'Tata',
    model: 'Tigor',
    color: 'White',
    capacity: 4,
  });

  it('creates, edits and lists a vehicle, auditing only what changed', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin.vehicles;
    const input = newVehicle();
    const created = await caller.create({ ...input, plate: input.plate.toLowerCase() });
    expect(created).toMatchObject({ plate: input.plate, status: 'active', driverId: null });
    const edited = await caller.edit({ vehicleId: created.id, ...input, color: 'Blue', capacity: 5 });
    expect(edited).toMatchObject({ color: 'Blue', capacity: 5 });
    const audit = await auditBy(admin.id);
    expect(audit.map((a) => a.subjectId)).toEqual([created.id, created.id]);
    expect(audit[1]!.details).toEqual({
      change: 'edited',
      before: { color: 'White', capacity: 4 },
      after: { color: 'Blue', capacity: 5 },
    });
    // Saving the same values again changes nothing and audits nothing.
    await caller.edit({ vehicleId: created.id, ...input, color: 'Blue', capacity: 5 });
    expect(await auditBy(admin.id)).toHaveLength(2);
  });

  it('refuses duplicate plates, retired or unknown types and too few seats, by field', async () => {
    const admin = await newAdmin();
    const existing = await callerFor(web.h, admin).admin.vehicles.create(newVehicle());
    const other = await callerFor(web.h, admin).admin.vehicles.create(newVehicle());
    const xlSeats = (await typeRow('xl'))!.seats;
    const auditCount = (await auditBy(admin.id)).length;
    const base = newVehicle();
    const cases: [unknown, number, string][] = [
      [{ ...base, plate: existing.plate.toLowerCase().replaceAll(' ', '  ') }, 409, 'plate'],
      [{ ...base, plate: '!!' }, 400, 'plate'],
      [{ ...base, vehicleTypeId: 'no-such-type' }, 400, 'vehicleTypeId'],
      [{ ...base, vehicleTypeId: 'xl', capacity: xlSeats - 1 }, 400, 'capacity'],
      [{ ...base, capacity: 21 }, 400, 'capacity'],
      [{ ...base, make: '' }, 400, 'make'],
      [{ ...base, color: 'x'.repeat(31) }, 400, 'color'],
    ];
    for (const [input, status, field] of cases) {
      expect(await refusalOf(web.deps, admin, 'admin.vehicles.create', input)).toEqual({
        status,
        field,
      });
    }
    const edit = await httpCall(web.deps, admin, 'admin.vehicles.edit', {
      vehicleId: existing.id,
      ...base,
      plate: other.plate,
    });
    expect(refusal(edit)).toEqual({ status: 409, field: 'plate' });
    expect((await vehicleRow(existing.id)).plate).toBe(existing.plate);
    const [dupes] = await web.h.postgres.db
      .select({ id: vehicles.id })
      .from(vehicles)
      .where(eq(vehicles.plate, base.plate));
    expect(dupes).toBeUndefined();
    expect(await auditBy(admin.id)).toHaveLength(auditCount);
  });

  it('assigns a vehicle to a driver, who can then go on duty with it; one vehicle per driver and driver per vehicle', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin.vehicles;
    const d = await createDriver(web.h.postgres.db, { vehicleTypeId: null });
    const driver = callerFor(web.h, await sessionOf(web.h, d)).driver;
    await expect(driver.setAvailability({ event: 'go_online' })).rejects.toMatchObject({ code: 'CONFLICT' });

    const car = await caller.create(newVehicle());
    const assigned = await caller.assign({ vehicleId: car.id, driverId: d.id });
    expect(assigned.driverId).toBe(d.id);
    expect((await driver.setAvailability({ event: 'go_online' })).state).toBe('available');

    // A second vehicle for the same driver, the same vehicle for another: refused, naming who has what.
    const spare = await caller.create(newVehicle());
    const other = await createDriver(web.h.postgres.db, { vehicleTypeId: null });
    const twice = await httpCall(web.deps, admin, 'admin.vehicles.assign', {
      vehicleId: spare.id,
      driverId: d.id,
    });
    expect(refusal(twice)).toEqual({ status: 409, field: 'driverId' });
    expect(twice.error?.message).toContain(car.plate);
    const taken = await httpCall(web.deps, admin, 'admin.vehicles.assign', {
      vehicleId: car.id,
      driverId: other.id,
    });
    expect(refusal(taken)).toEqual({ status: 409, field: 'vehicleId' });
    expect(taken.error?.message).toContain(d.name);
    const notADriver = await createUser(web.h.postgres.db, 'rider');
    expect(
      await refusalOf(web.deps, admin, 'admin.vehicles.assign', {
        vehicleId: spare.id,
        driverId: notADriver.id,
      }),
    ).toEqual({ status: 404, field: 'driverId' });

    // While the driver is on duty the vehicle stays theirs and in service.
    expect(await refusalOf(web.deps, admin, 'admin.vehicles.unassign', { vehicleId: car.id })).toEqual({
      status: 409,
      field: 'vehicleId',
    });
    expect(
      await refusalOf(web.deps, admin, 'admin.vehicles.setStatus', {
        vehicleId: car.id,
        status: 'maintenance',
      }),
    ).toEqual({ status: 409, field: 'status' });
    expect(
      await refusalOf(web.deps, admin, 'admin.vehicles.edit', {
        vehicleId: car.id,
        ...newVehicle(),
        plate: car.plate,
        vehicleTypeId: 'comfort',
      }),
    ).toEqual({ status: 409, field: 'vehicleTypeId' });
    expect(await vehicleRow(car.id)).toMatchObject({
      driverId: d.id,
      status: 'active',
      vehicleTypeId: 'economy',
    });

    await driver.setAvailability({ event: 'go_offline' });
    await caller.unassign({ vehicleId: car.id });
    expect((await vehicleRow(car.id)).driverId).toBeNull();
    expect((await auditBy(admin.id)).map((a) => (a.details as { change: string }).change)).toEqual([
      'created',
      'assigned',
      'created',
      'unassigned',
    ]);
  });

  it('retiring a vehicle frees its driver, and a retired vehicle cannot be assigned', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin.vehicles;
    const d = await createDriver(web.h.postgres.db, { vehicleTypeId: null });
    const car = await caller.create(newVehicle());
    await caller.assign({ vehicleId: car.id, driverId: d.id });
    await caller.setStatus({ vehicleId: car.id, status: 'retired' });
    expect(await vehicleRow(car.id)).toMatchObject({ status: 'retired', driverId: null });
    const [retiredEntry] = (await auditBy(admin.id)).slice(-1);
    expect(retiredEntry!.details).toEqual({
      change: 'status',
      before: 'active',
      after: 'retired',
      unassignedDriverId: d.id,
    });
    const answer = await httpCall(web.deps, admin, 'admin.vehicles.assign', {
      vehicleId: car.id,
      driverId: d.id,
    });
    expect(refusal(answer)).toEqual({ status: 409, field: 'vehicleId' });
    expect((await vehicleRow(car.id)).driverId).toBeNull();
    expect(
      await refusalOf(web.deps, admin, 'admin.vehicles.setStatus', {
        vehicleId: car.id,
        status: 'scrapped',
      }),
    ).toEqual({ status: 400, field: 'status' });
  });

  it('searches, sorts and pages the fleet, with an explicit maximum page size', async () => {
    const admin = await newAdmin();
    const caller = callerFor(web.h, admin).admin.vehicles;
    const tag = `PG${uniq().toUpperCase()}`;
    for (const n of [3, 1, 4, 2, 5]) {
      await caller.create({ ...newVehicle(), plate: `${tag}-${n}` });
    }
    const first = await caller.list({ search: tag.toLowerCase(), sort: 'plate', dir: 'desc', pageSize: 2 });
    expect(first.total).toBe(5);
    expect(first.rows.map((r) => r.plate)).toEqual([`${tag}-5`, `${tag}-4`]);
    const third = await caller.list({ search: tag, sort: 'plate', dir: 'desc', pageSize: 2, page: 3 });
    expect(third.rows.map((r) => r.plate)).toEqual([`${tag}-1`]);
    // A search for a literal % matches nothing rather than everything.
    expect((await caller.list({ search: '%' })).total).toBe(0);
    const tooBig = await httpCall(
      web.deps,
      admin,
      'admin.vehicles.list',
      { pageSize: maxPageSize + 1 },
      'query',
    );
    expect(refusal(tooBig)).toEqual({ status: 400, field: 'pageSize' });
    const badSort = await httpCall(web.deps, admin, 'admin.vehicles.list', { sort: 'password' }, 'query');
    expect(refusal(badSort)).toEqual({ status: 400, field: 'sort' });
  });
});
