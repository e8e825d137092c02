import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availabilityChanges, drivers } from '@/db/schema';
import { setAvailability } from '@/server/services/driver/set-availability';
import { sweepPresence } from '@/server/services/driver/sweep-presence';
import { createDriver } from './support/fixtures';
import { createHarness, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('presence');
});
afterAll(() => h?.cleanup());

const policy = { staleAfterMs: 30_000, offlineAfterMs: 120_000 };

describe('presence sweep', () => {
  it('takes silent drivers offline with the reason, and leaves live and busy drivers alone', async () => {
    const silent = await createDriver(h.postgres.db);
    const live = await createDriver(h.postgres.db);
    const busy = await createDriver(h.postgres.db);
    for (const d of [silent, live, busy])
      await setAvailability(h.core, { driverId: d.id, event: 'go_online', actor: 'driver' });
    await setAvailability(h.core, { driverId: busy.id, event: 'offer_sent', actor: 'dispatch' });
    await setAvailability(h.core, { driverId: busy.id, event: 'offer_accepted', actor: 'dispatch' });

    const now = Date.now();
    // Last signs of life: silent 3 minutes ago, busy too, live just now.
    await h.redis.zadd(
      `${h.redisPrefix}:online`,
      now - 180_000,
      silent.id,
      now - 180_000,
      busy.id,
      now,
      live.id,
    );

    const result = await sweepPresence(h.core, policy);
    expect(result).toEqual({ checked: 2, wentOffline: 1 });
    const state = async (id: string) =>
      (await h.postgres.db.select().from(drivers).where(eq(drivers.userId, id)))[0]!.availability;
    expect(await state(silent.id)).toBe('offline');
    expect(await state(live.id)).toBe('available');
    expect(await state(busy.id)).toBe('en_route');
    const [change] = await h.postgres.db
      .select()
      .from(availabilityChanges)
      .where(eq(availabilityChanges.driverId, silent.id))
      .orderBy(availabilityChanges.id)
      .offset(1);
    expect(change).toMatchObject({
      event: 'heartbeat_lost',
      actor: 'system',
      reason: 'no location for 120 s',
    });
  });
});
