import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availabilityChanges, drivers, dutySessions, outbox } from '@/db/schema';
import { driverStateEventSchema } from '@/domain/driver-events';
import { DomainError } from '@/domain/errors';
import { setAvailability } from '@/server/services/driver/set-availability';
import { createDriver } from './support/fixtures';
import { createHarness, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('availability');
});
afterAll(() => h?.cleanup());

async function outboxFor(driverId: string) {
  const rows = await h.postgres.db.select().from(outbox).where(eq(outbox.key, driverId)).orderBy(outbox.id);
  return rows.map((r) => driverStateEventSchema.parse(r.payload));
}

describe('setAvailability (PostgreSQL + Redis)', () => {
  it('goes online: opens a duty session, records the change, writes the event and the live index', async () => {
    const d = await createDriver(h.postgres.db);
    const result = await setAvailability(h.core, { driverId: d.id, event: 'go_online', actor: 'driver' });
    expect(result).toMatchObject({ state: 'available', version: 1, vehicleTypeId: 'economy' });

    const [row] = await h.postgres.db.select().from(drivers).where(eq(drivers.userId, d.id));
    expect(row).toMatchObject({
      availability: 'available',
      availabilityVersion: 1,
      dutySessionId: result.sessionId,
    });
    const sessions = await h.postgres.db.select().from(dutySessions).where(eq(dutySessions.driverId, d.id));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.endedAt).toBeNull();
    const changes = await h.postgres.db
      .select()
      .from(availabilityChanges)
      .where(eq(availabilityChanges.driverId, d.id));
    expect(changes).toMatchObject([
      { fromState: 'offline', toState: 'available', event: 'go_online', actor: 'driver' },
    ]);
    expect(await outboxFor(d.id)).toMatchObject([
      { state: 'available', previous: 'offline', version: 1, sessionId: result.sessionId },
    ]);

    const view = await h.liveIndex.ingestView(d.id);
    expect(view).toMatchObject({
      state: 'available',
      sessionId: result.sessionId,
      vehicleTypeId: 'economy',
      last: null,
    });
  });

  it('goes offline: closes the session, leaves a tombstone that older events cannot undo', async () => {
    const d = await createDriver(h.postgres.db);
    const online = await setAvailability(h.core, { driverId: d.id, event: 'go_online', actor: 'driver' });
    const offline = await setAvailability(h.core, { driverId: d.id, event: 'go_offline', actor: 'driver' });
    expect(offline).toMatchObject({ state: 'offline', version: 2, sessionId: null });
    const [session] = await h.postgres.db
      .select()
      .from(dutySessions)
      .where(eq(dutySessions.id, online.sessionId!));
    expect(session!.endedAt).not.toBeNull();
    expect(session!.endReason).toBe('go_offline');
    expect(await h.liveIndex.ingestView(d.id)).toMatchObject({ state: 'offline' });
    expect(await h.redis.zscore(`${h.redisPrefix}:online`, d.id)).toBeNull();

    // The relayed copy of the older "online" event arrives late: the index must not resurrect the driver.
    const applied = await h.liveIndex.setStates([
      {
        driverId: d.id,
        version: 1,
        state: 'available',
        sessionId: online.sessionId,
        vehicleTypeId: 'economy',
        vehicleId: d.vehicleId,
        at: 1,
      },
    ]);
    expect(applied).toBe(0);
    expect(await h.liveIndex.ingestView(d.id)).toMatchObject({ state: 'offline' });
  });

  it('refuses to go online without an active vehicle and writes nothing', async () => {
    const d = await createDriver(h.postgres.db, { vehicleTypeId: null });
    await expect(
      setAvailability(h.core, { driverId: d.id, event: 'go_online', actor: 'driver' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const [row] = await h.postgres.db.select().from(drivers).where(eq(drivers.userId, d.id));
    expect(row).toMatchObject({ availability: 'offline', availabilityVersion: 0, dutySessionId: null });
    expect(await outboxFor(d.id)).toEqual([]);
    expect(await h.postgres.db.select().from(dutySessions).where(eq(dutySessions.driverId, d.id))).toEqual(
      [],
    );
  });

  it('keeps a driver whose documents are not verified off duty, saying why', async () => {
    for (const [status, message] of [
      ['pending', /being checked/],
      ['rejected', /not accepted/],
    ] as const) {
      const d = await createDriver(h.postgres.db);
      await h.postgres.db.update(drivers).set({ documentStatus: status }).where(eq(drivers.userId, d.id));
      await expect(
        setAvailability(h.core, { driverId: d.id, event: 'go_online', actor: 'driver' }),
      ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(message) });
      expect(await outboxFor(d.id)).toEqual([]);
    }
  });

  it('refuses an impossible transition and writes nothing', async () => {
    const d = await createDriver(h.postgres.db);
    const error = await setAvailability(h.core, { driverId: d.id, event: 'pause', actor: 'driver' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(await outboxFor(d.id)).toEqual([]);
  });

  it('does not let a driver trigger system events', async () => {
    const d = await createDriver(h.postgres.db);
    await expect(
      setAvailability(h.core, { driverId: d.id, event: 'offer_sent', actor: 'driver' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('serialises concurrent commands: ten "go online" at once open exactly one session', async () => {
    const d = await createDriver(h.postgres.db);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        setAvailability(h.core, { driverId: d.id, event: 'go_online', actor: 'driver' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as DomainError).code).toBe('INVALID_TRANSITION');
    }
    expect(
      await h.postgres.db.select().from(dutySessions).where(eq(dutySessions.driverId, d.id)),
    ).toHaveLength(1);
    expect(await outboxFor(d.id)).toHaveLength(1);
  });

  it('keeps the database honest: an online driver without a session is impossible', async () => {
    const d = await createDriver(h.postgres.db);
    await expect(
      h.postgres.db.update(drivers).set({ availability: 'available' }).where(eq(drivers.userId, d.id)),
    ).rejects.toMatchObject({ cause: { constraint: 'drivers_session_when_online' } });
  });

  it('answers NOT_FOUND for an unknown driver', async () => {
    await expect(
      setAvailability(h.core, {
        driverId: '00000000-0000-4000-8000-000000000000',
        event: 'go_online',
        actor: 'driver',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
