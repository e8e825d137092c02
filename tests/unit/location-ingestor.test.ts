import { describe, expect, it } from 'vitest';
import type { LocationRecord } from '@/domain/driver-events';
import type { IngestView } from '@/server/adapters/live-index';
import type { Pressure } from '@/server/infra/ingest-backpressure';
import { LocationIngestor } from '@/server/services/location/ingest-location-batch';

const session = '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const now = 1_800_000_000_000;
const ping = (seq: number) => ({ seq, at: now - 10_000 + seq * 1_000, lat: 12.97, lng: 77.59, accuracyM: 5 });
const onDuty: IngestView = {
  state: 'available',
  version: 1,
  sessionId: session,
  vehicleTypeId: 'economy',
  last: null,
};

function ingestor(
  publish: (records: LocationRecord[]) => Promise<void>,
  initial: IngestView | null = onDuty,
) {
  const drops: string[] = [];
  const index = { view: initial, reads: 0 };
  const instance = new LocationIngestor({
    liveIndex: {
      ingestView: async () => {
        index.reads++;
        return index.view;
      },
    },
    clock: { now: () => now },
    publish,
    onDropped: (reason, count) => drops.push(`${reason}x${count}`),
  });
  return { instance, drops, index };
}

describe('location ingestor', () => {
  it('publishes accepted pings stamped with the server time, state and vehicle type', async () => {
    const published: LocationRecord[] = [];
    const { instance } = ingestor(async (r) => void published.push(...r));
    expect(await instance.ingest('d1', { sessionId: session, pings: [ping(1), ping(2)] })).toEqual({
      accepted: 2,
      lastSeq: 2,
      dropped: [],
    });
    expect(published.map((r) => [r.seq, r.receivedAt, r.state, r.vehicleTypeId])).toEqual([
      [1, now, 'available', 'economy'],
      [2, now, 'available', 'economy'],
    ]);
  });

  it('does not advance its memory when publishing fails, so the re-sent batch is accepted', async () => {
    let fail = true;
    const published: LocationRecord[] = [];
    const { instance } = ingestor(async (r) => {
      if (fail) throw new Error('broker down');
      published.push(...r);
    });
    await expect(instance.ingest('d1', { sessionId: session, pings: [ping(1)] })).rejects.toThrow(
      'broker down',
    );
    fail = false;
    expect(await instance.ingest('d1', { sessionId: session, pings: [ping(1)] })).toMatchObject({
      accepted: 1,
    });
    expect(await instance.ingest('d1', { sessionId: session, pings: [ping(1), ping(2)] })).toMatchObject({
      accepted: 1,
      dropped: [{ seq: 1, reason: 'duplicate' }],
    });
    expect(published.map((r) => r.seq)).toEqual([1, 2]);
  });

  it('processes one driver’s batches one at a time, in arrival order', async () => {
    const order: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { instance } = ingestor(async (records) => {
      if (records[0]!.seq === 1) await gate;
      order.push(records[0]!.seq);
    });
    const first = instance.ingest('d1', { sessionId: session, pings: [ping(1)] });
    const second = instance.ingest('d1', { sessionId: session, pings: [ping(2)] });
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual([1, 2]);
  });

  it('drops every ping of an off-duty driver or of another session, counting why', async () => {
    const offline = ingestor(async () => undefined, { ...onDuty, state: 'offline' });
    expect(
      await offline.instance.ingest('d1', { sessionId: session, pings: [ping(1), ping(2)] }),
    ).toMatchObject({
      accepted: 0,
      dropped: [
        { seq: 1, reason: 'driver_offline' },
        { seq: 2, reason: 'driver_offline' },
      ],
    });
    expect(offline.drops).toEqual(['driver_offlinex2']);
    const other = ingestor(async () => undefined, {
      ...onDuty,
      sessionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(await other.instance.ingest('d1', { sessionId: session, pings: [ping(1)] })).toMatchObject({
      dropped: [{ seq: 1, reason: 'wrong_session' }],
    });
    const unknown = ingestor(async () => undefined, null);
    expect(await unknown.instance.ingest('d1', { sessionId: session, pings: [ping(1)] })).toMatchObject({
      dropped: [{ seq: 1, reason: 'driver_offline' }],
    });
  });
});

describe('location ingestor duty cache', () => {
  const otherSession = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

  it('reads the index once per driver, then keeps duty current from events', async () => {
    const { instance, index } = ingestor(async () => undefined);
    for (let seq = 1; seq <= 5; seq++)
      await instance.ingest('d1', { sessionId: session, pings: [ping(seq)] });
    expect(index.reads).toBe(1);
    const published: LocationRecord[] = [];
    const second = ingestor(async (r) => void published.push(...r));
    await second.instance.ingest('d1', { sessionId: session, pings: [ping(1)] });
    second.instance.applyDutyChange({
      driverId: 'd1',
      version: 2,
      state: 'paused',
      sessionId: session,
      vehicleTypeId: 'economy',
    });
    await second.instance.ingest('d1', { sessionId: session, pings: [ping(2)] });
    expect(published.map((r) => r.state)).toEqual(['available', 'paused']);
    expect(second.index.reads).toBe(1);
  });

  it('ignores a duty change older than what it knows', async () => {
    const published: LocationRecord[] = [];
    const { instance } = ingestor(async (r) => void published.push(...r), { ...onDuty, version: 5 });
    await instance.ingest('d1', { sessionId: session, pings: [ping(1)] });
    instance.applyDutyChange({
      driverId: 'd1',
      version: 4,
      state: 'paused',
      sessionId: session,
      vehicleTypeId: 'economy',
    });
    await instance.ingest('d1', { sessionId: session, pings: [ping(2)] });
    expect(published.map((r) => r.state)).toEqual(['available', 'available']);
  });

  it('checks the index before refusing: a new session is accepted even before its event arrives', async () => {
    const { instance, index } = ingestor(async () => undefined);
    await instance.ingest('d1', { sessionId: session, pings: [ping(1)] });
    // The driver went offline and online again; this instance has not seen the events yet.
    index.view = { ...onDuty, version: 3, sessionId: otherSession };
    expect(await instance.ingest('d1', { sessionId: otherSession, pings: [ping(1)] })).toMatchObject({
      accepted: 1,
    });
    expect(index.reads).toBe(2);
    // And an offline driver is refused once the index says so.
    index.view = { ...onDuty, version: 4, state: 'offline', sessionId: null };
    instance.applyDutyChange({
      driverId: 'd1',
      version: 4,
      state: 'offline',
      sessionId: null,
      vehicleTypeId: 'economy',
    });
    expect(await instance.ingest('d1', { sessionId: otherSession, pings: [ping(2)] })).toMatchObject({
      accepted: 0,
      dropped: [{ seq: 2, reason: 'driver_offline' }],
    });
  });
});

describe('location ingestor, many drivers at once (gateways)', () => {
  const sessionFor = (i: number) => `6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a${String(i).padStart(2, '0')}`;
  function gatewayIngestor(publish: (records: LocationRecord[]) => Promise<void>, pressure?: () => Pressure) {
    const views = new Map<string, IngestView>();
    for (let i = 0; i < 10; i++) views.set(`d${i}`, { ...onDuty, sessionId: sessionFor(i) });
    let reads = 0;
    const instance = new LocationIngestor({
      liveIndex: {
        ingestView: async (id) => {
          reads++;
          return views.get(id) ?? null;
        },
      },
      clock: { now: () => now },
      publish,
      pressure,
    });
    const items = (seq: number) =>
      Array.from({ length: 10 }, (_, i) => ({
        driverId: `d${i}`,
        batch: { sessionId: sessionFor(i), pings: [ping(seq)] },
      }));
    return { instance, items, reads: () => reads };
  }

  it('publishes known drivers in one call, in the order given', async () => {
    const calls: number[][] = [];
    const g = gatewayIngestor(
      async (records) => void calls.push(records.map((r) => Number(r.driverId.slice(1)))),
    );
    await g.instance.ingestMany(g.items(1)); // first sight: each driver is looked up once
    calls.length = 0;
    const results = await g.instance.ingestMany(g.items(2));
    expect(results.map((r) => r.accepted)).toEqual(new Array(10).fill(1));
    expect(calls).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    expect(g.reads()).toBe(10);
  });

  it('keeps a driver’s order when it already has a batch in flight', async () => {
    const published: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const g = gatewayIngestor(async (records) => {
      if (records.some((r) => r.seq === 2 && r.driverId === 'd3')) await gate;
      published.push(...records.map((r) => `${r.driverId}:${r.seq}`));
    });
    await g.instance.ingestMany(g.items(1));
    const single = g.instance.ingest('d3', { sessionId: sessionFor(3), pings: [ping(2)] });
    const many = g.instance.ingestMany(g.items(3));
    await new Promise((r) => setTimeout(r, 10));
    release();
    await Promise.all([single, many]);
    expect(published.indexOf('d3:2')).toBeLessThan(published.indexOf('d3:3'));
  });

  it('keeps a new session’s memory when the duty changes while a batch is publishing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let holding = false;
    const g = gatewayIngestor(async () => {
      if (holding) await gate;
    });
    await g.instance.ingestMany(g.items(1));
    holding = true;
    const late = g.instance.ingestMany([
      { driverId: 'd0', batch: { sessionId: sessionFor(0), pings: [ping(9)] } },
    ]);
    // The driver went off and on duty again while that batch was publishing: a new session.
    const next = sessionFor(42);
    g.instance.applyDutyChange({
      driverId: 'd0',
      version: 2,
      state: 'available',
      sessionId: next,
      vehicleTypeId: 'economy',
    });
    release();
    await late;
    holding = false;
    const [first] = await g.instance.ingestMany([
      { driverId: 'd0', batch: { sessionId: next, pings: [ping(1)] } },
    ]);
    expect(first).toEqual({ accepted: 1, lastSeq: 1, dropped: [] });
  });

  it('rejects when the publish fails, leaving every driver re-sendable', async () => {
    let fail = false;
    const g = gatewayIngestor(async () => {
      if (fail) throw new Error('broker down');
    });
    await g.instance.ingestMany(g.items(1));
    fail = true;
    await expect(g.instance.ingestMany(g.items(2))).rejects.toThrow('broker down');
    fail = false;
    const again = await g.instance.ingestMany(g.items(2));
    expect(again.map((r) => r.accepted)).toEqual(new Array(10).fill(1));
  });

  it('refuses a message outright while behind, publishing nothing, and says when to send again', async () => {
    let pressure: Pressure = { level: 'refuse', waitMs: 800 };
    const published: LocationRecord[] = [];
    const g = gatewayIngestor(
      async (records) => void published.push(...records),
      () => pressure,
    );
    await expect(g.instance.ingestMany(g.items(1))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      details: { retryAfterMs: 800, retryAfterS: 1 },
    });
    expect(published).toEqual([]);
    expect(g.reads()).toBe(0);
    pressure = { level: 'slow', waitMs: 250 };
    expect((await g.instance.ingestMany(g.items(1))).map((r) => r.accepted)).toEqual(new Array(10).fill(1));
    expect(g.instance.sendAgainInMs()).toBe(250);
    pressure = { level: 'ok' };
    expect(g.instance.sendAgainInMs()).toBeUndefined();
  });
});
