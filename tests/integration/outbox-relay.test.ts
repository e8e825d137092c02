import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '@/db/schema';
import { type OutboxMessage, relayOutbox } from '@/server/services/platform/relay-outbox';
import { createHarness, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('outbox');
});
afterAll(() => h?.cleanup());

const pending = async () =>
  (await h.postgres.db.select({ n: sql<number>`count(*)::int` }).from(outbox))[0]!.n;

describe('outbox relay (PostgreSQL)', () => {
  it('publishes committed rows in order and deletes them; rolled-back rows never exist', async () => {
    await h.postgres.db.insert(outbox).values([
      { topic: 'driverEvents', key: 'a', payload: { n: 1 } },
      { topic: 'driverEvents', key: 'a', payload: { n: 2 } },
    ]);
    await h.postgres.db
      .transaction(async (tx) => {
        await tx.insert(outbox).values({ topic: 'driverEvents', key: 'a', payload: { n: 'phantom' } });
        throw new Error('roll back on purpose');
      })
      .catch(() => undefined);
    await h.postgres.db.insert(outbox).values({ topic: 'bookingEvents', key: 'b', payload: { n: 3 } });

    const published: OutboxMessage[] = [];
    const relayed = await relayOutbox(h.postgres.pool, async (messages) => {
      published.push(...messages);
    });
    expect(relayed).toBe(3);
    expect(published.map((m) => JSON.parse(m.value).n)).toEqual([1, 2, 3]);
    expect(published.map((m) => m.topic)).toEqual(['driverEvents', 'driverEvents', 'bookingEvents']);
    expect(await pending()).toBe(0);
  });

  it('keeps rows when publishing fails, and publishes them on the next attempt', async () => {
    await h.postgres.db.insert(outbox).values({ topic: 'driverEvents', key: 'c', payload: { n: 4 } });
    await expect(
      relayOutbox(h.postgres.pool, async () => {
        throw new Error('broker down');
      }),
    ).rejects.toThrow('broker down');
    expect(await pending()).toBe(1);
    const published: OutboxMessage[] = [];
    await relayOutbox(h.postgres.pool, async (m) => {
      published.push(...m);
    });
    expect(published.map((m) => JSON.parse(m.value).n)).toEqual([4]);
    expect(await pending()).toBe(0);
  });

  it('lets only one relay work at a time', async () => {
    await h.postgres.db.insert(outbox).values({ topic: 'driverEvents', key: 'd', payload: { n: 5 } });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = relayOutbox(h.postgres.pool, () => gate);
    await new Promise((r) => setTimeout(r, 100));
    const second = await relayOutbox(h.postgres.pool, async () => {
      throw new Error('the second relay must not publish');
    });
    expect(second).toBe(0);
    release();
    expect(await first).toBe(1);
  });
});
