import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import type { DriverStateEvent, LocationRecord } from '@/domain/driver-events';
import { haversineMeters, offsetMeters } from '@/domain/geo';
import { seededRandom } from '@/domain/seeded-random';
import { groupId, topicSpecs } from '@/server/infra/kafka';
import { packLocationFrames } from '@/server/infra/location-frames';
import { startNearestIndexFeed } from '@/workers/nearest-index-feed';
import { createHarness, type Harness, ready } from './support/harness';

/**
 * The nearest-driver search against a brute-force oracle: every available, fresh driver of the
 * vehicle type, sorted by exact distance. Thousands of drivers in every state, some stale, some
 * that hopped cells, random query points and radii. The in-memory index dispatch uses (ADR 0018)
 * is started the way workers start it, warm from Redis and then fed by Kafka; the Redis live
 * index must give the same answers.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness('nearest');
});
afterAll(() => h?.cleanup());

const centre = { lat: 12.9716, lng: 77.5946 };
const width = defaultPresencePolicy.staleAfterMs;
/**
 * 20 s into a time bucket: drivers last heard 31–60 s ago then sit partly in the previous bucket,
 * which the search reads, so only its freshness check can exclude them.
 */
const bucketedNow = () => Math.floor(Date.now() / width) * width + 20_000;
/** One clock for the whole file: a bucket boundary passing between tests must not age the data. */
const now = bucketedNow();
const types = ['economy', 'comfort', 'moto'];
const states = ['available', 'available', 'available', 'paused', 'offered', 'on_trip'] as const;

interface Truth {
  id: string;
  sessionId: string;
  lat: number;
  lng: number;
  vt: string;
  state: string;
  rx: number;
}

async function populate(count: number, now: number, random: () => number): Promise<Truth[]> {
  const truth: Truth[] = [];
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, () => {
      const id = randomUUID();
      const vt = types[Math.floor(random() * types.length)]!;
      const state = states[Math.floor(random() * states.length)]!;
      const sessionId = randomUUID();
      // A quarter of the drivers were last heard 31–60 s ago: stale, excluded from dispatch.
      const rx = random() < 0.25 ? now - 31_000 - random() * 29_000 : now - random() * 25_000;
      const p = offsetMeters(centre, (random() - 0.5) * 8_000, (random() - 0.5) * 8_000);
      return { id, vt, state, sessionId, rx: Math.round(rx), ...p };
    });
    await h.liveIndex.setStates(
      batch.map((d) => ({
        driverId: d.id,
        version: 1,
        state: 'available',
        sessionId: d.sessionId,
        vehicleTypeId: d.vt,
        vehicleId: null,
        at: now - 60_000,
      })),
    );
    // A first position somewhere else (so some drivers change cell), then the real one.
    const record = (
      d: (typeof batch)[number],
      seq: number,
      lat: number,
      lng: number,
      rx: number,
    ): LocationRecord => ({
      driverId: d.id,
      sessionId: d.sessionId,
      seq,
      at: rx,
      lat,
      lng,
      receivedAt: rx,
      state: 'available',
      vehicleTypeId: d.vt,
    });
    await h.liveIndex.applyPositions(
      batch.map((d) => {
        const away = offsetMeters(d, (random() - 0.5) * 1_500, (random() - 0.5) * 1_500);
        return record(d, 1, away.lat, away.lng, d.rx - 1_000);
      }),
    );
    await h.liveIndex.applyPositions(batch.map((d) => record(d, 2, d.lat, d.lng, d.rx)));
    const busy = batch.filter((d) => d.state !== 'available');
    await h.liveIndex.setStates(
      busy.map((d) => ({
        driverId: d.id,
        version: 2,
        state: d.state,
        sessionId: d.sessionId,
        vehicleTypeId: d.vt,
        vehicleId: null,
        at: d.rx,
      })),
    );
    truth.push(
      ...batch.map((d) => ({
        id: d.id,
        sessionId: d.sessionId,
        lat: d.lat,
        lng: d.lng,
        vt: d.vt,
        state: d.state as string,
        rx: d.rx,
      })),
    );
  }
  return truth;
}

function oracle(
  truth: Truth[],
  q: { lat: number; lng: number; vehicleTypeId: string; k: number; maxRadiusM: number; nowMs: number },
) {
  return truth
    .filter(
      (d) =>
        d.state === 'available' &&
        d.vt === q.vehicleTypeId &&
        d.rx >= q.nowMs - defaultPresencePolicy.staleAfterMs,
    )
    .map((d) => ({ id: d.id, distanceM: haversineMeters(q, d) }))
    .filter((d) => d.distanceM <= q.maxRadiusM)
    .sort((a, b) => a.distanceM - b.distanceM || a.id.localeCompare(b.id))
    .slice(0, q.k)
    .map((d) => d.id);
}

const randomQuery = (random: () => number, i: number) => ({
  ...offsetMeters(centre, (random() - 0.5) * 10_000, (random() - 0.5) * 10_000),
  vehicleTypeId: types[i % types.length]!,
  k: 1 + Math.floor(random() * 15),
  maxRadiusM: 300 + random() * 4_000,
  nowMs: now,
});

let truth: Truth[];
beforeAll(async () => {
  truth = await populate(6_000, now, seededRandom(7));
});

describe('nearest available drivers', () => {
  it('the in-memory index dispatch uses agrees with a brute-force oracle: warm from Redis, then fed by Kafka', async () => {
    const random = seededRandom(8);
    const stream = new KafkaChanges(h);
    const byId = new Map(truth.map((d) => [d.id, d]));
    // Changes the live-index group has applied and committed: the snapshot must hold them.
    await stream.changeSome(truth.slice(0, 1_000), random, 3);
    await stream.commitLiveIndexGroup();
    // Applied to Redis but not committed yet: read from the snapshot *and* replayed (harmless).
    await stream.changeSome(truth.slice(1_000, 2_000), random, 4);
    const feed = await startNearestIndexFeed({
      kafka: h.kafka,
      topics: h.topics,
      topicPrefix: h.topicPrefix,
      logger: h.logger,
      redis: h.redis,
      redisPrefix: h.redisPrefix,
      instanceId: 'it-a',
    });
    h.beforeCleanup(() => feed.close());
    expect(feed.warm.drivers).toBe(6_000);
    // After the start: only the stream brings these, including drivers whose first ping reaches
    // Kafka before their go-online event.
    await stream.changeSome(truth.slice(2_000, 3_500), random, 5);
    const newcomers = await stream.newDrivers(400, random);
    for (const d of [...truth, ...newcomers]) byId.set(d.id, d);
    await stream.caughtUp(['it-a', 'it-a-events']);
    const all = [...byId.values()];
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const q = randomQuery(random, i);
      const result = feed.index.nearest(q);
      const expected = oracle(all, q);
      expect(result.drivers.map((d) => d.driverId)).toEqual(expected);
      expect((await h.liveIndex.nearest(q)).drivers.map((d) => d.driverId)).toEqual(expected);
      compared += result.drivers.length;
    }
    expect(compared).toBeGreaterThan(1_000);
    // The newcomers are where the queries look: the early-position rule was exercised.
    expect(all.filter((d) => newcomers.includes(d) && d.state === 'available').length).toBeGreaterThan(100);
    const staleInReadBucket = all.filter(
      (d) => d.rx < now - width && d.rx >= Math.floor(now / width - 1) * width,
    );
    expect(staleInReadBucket.length).toBeGreaterThan(500);
  });

  it('reads few cells in a dense area and returns nothing beyond the radius', async () => {
    const result = await h.liveIndex.nearest({
      ...centre,
      vehicleTypeId: 'economy',
      k: 5,
      maxRadiusM: 2_000,
      nowMs: now,
    });
    expect(result.drivers).toHaveLength(5);
    expect(result.cellsRead).toBeLessThan(80);
    const far = await h.liveIndex.nearest({
      lat: 13.5,
      lng: 78.5,
      vehicleTypeId: 'economy',
      k: 5,
      maxRadiusM: 1_000,
      nowMs: now,
    });
    expect(far.drivers).toEqual([]);
  });
});

describe('live index writes at scale', () => {
  it('applies a batch of 25,000 positions (one busy Kafka batch) in bounded script calls', async () => {
    const now = Date.now();
    const ids = Array.from({ length: 25_000 }, () => randomUUID());
    const sessions = ids.map(() => randomUUID());
    const entries = ids.map((driverId, i) => ({
      driverId,
      version: 1,
      state: 'available' as const,
      sessionId: sessions[i]!,
      vehicleTypeId: 'economy',
      vehicleId: null,
      at: now,
    }));
    expect(await h.liveIndex.setStates(entries)).toBe(ids.length);
    const records: LocationRecord[] = ids.map((driverId, i) => ({
      driverId,
      sessionId: sessions[i]!,
      seq: 1,
      at: now,
      lat: centre.lat + (i % 100) * 1e-4,
      lng: centre.lng + Math.floor(i / 100) * 1e-4,
      receivedAt: now,
      state: 'available',
      vehicleTypeId: 'economy',
    }));
    expect(await h.liveIndex.applyPositions(records)).toBe(ids.length);
    expect(await h.liveIndex.applyPositions(records)).toBe(0);
  });
});

/**
 * Changes written the way production writes them: to Redis (what the live-index consumer would
 * do) and to Kafka (frames on `driver.location`, events on `driver.events`), keeping `Truth` current.
 */
class KafkaChanges {
  private readonly producer;
  private readonly pack = packLocationFrames(topicSpecs.driverLocation.partitions);
  private version = 10;

  constructor(private readonly h: Harness) {
    this.producer = h.kafka.producer();
  }

  private async connected() {
    await this.producer.connect();
    this.h.beforeCleanup(() => this.producer.disconnect());
  }

  private started: Promise<void> | null = null;

  async positions(records: LocationRecord[]) {
    this.started ??= this.connected();
    await this.started;
    await this.h.liveIndex.applyPositions(records);
    const messages = records.map((r) => ({ key: r.driverId, value: JSON.stringify(r) }));
    await this.producer.send({
      topic: this.h.topics.driverLocation,
      acks: -1,
      messages: this.pack(this.h.topics.driverLocation, messages),
    });
  }

  async states(events: DriverStateEvent[], toRedis = true) {
    this.started ??= this.connected();
    await this.started;
    if (toRedis) await this.h.liveIndex.setStates(events.map((e) => ({ ...e })));
    await this.producer.send({
      topic: this.h.topics.driverEvents,
      acks: -1,
      messages: events.map((e) => ({ key: e.driverId, value: JSON.stringify(e) })),
    });
  }

  /** Moves every driver, and flips a third of them between available and paused (new versions). */
  async changeSome(drivers: Truth[], random: () => number, seq: number) {
    const flips = drivers.filter(() => random() < 0.33);
    this.version++;
    await this.states(
      flips.map((d) => {
        const state = d.state === 'available' ? 'paused' : 'available';
        const e = event(d, state, this.version, now);
        d.state = state;
        return e;
      }),
    );
    await this.positions(
      drivers.map((d) => {
        const p = offsetMeters(d, (random() - 0.5) * 600, (random() - 0.5) * 600);
        d.lat = p.lat;
        d.lng = p.lng;
        // Server receive times only move forward; some drivers stay (or become) stale.
        d.rx = Math.max(d.rx + 1, Math.round(now - random() * 40_000));
        return record(d, seq);
      }),
    );
  }

  /** Drivers who go online now; their first ping reaches Kafka before the go-online event. */
  async newDrivers(count: number, random: () => number): Promise<Truth[]> {
    const drivers: Truth[] = Array.from({ length: count }, () => ({
      id: randomUUID(),
      sessionId: randomUUID(),
      vt: types[Math.floor(random() * types.length)]!,
      state: 'available',
      rx: Math.round(now - random() * 20_000),
      ...offsetMeters(centre, (random() - 0.5) * 8_000, (random() - 0.5) * 8_000),
    }));
    const events = drivers.map((d) => event(d, 'available', 1, now - 30_000));
    // Web writes the go-online to Redis at once; its Kafka copy comes through the outbox later.
    await this.h.liveIndex.setStates(events.map((e) => ({ ...e })));
    await this.positions(drivers.map((d) => record(d, 1)));
    await this.states(events, false);
    return drivers;
  }

  async commitLiveIndexGroup() {
    const admin = this.h.kafka.admin();
    await admin.connect();
    try {
      for (const topic of [this.h.topics.driverLocation, this.h.topics.driverEvents]) {
        const ends = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({
          groupId: groupId(this.h.topicPrefix, 'live-index'),
          topic,
          partitions: ends.map((o) => ({ partition: o.partition, offset: o.high })),
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** Waits until the given groups of this file committed every message of both topics. */
  async caughtUp(groups: string[]) {
    const admin = this.h.kafka.admin();
    await admin.connect();
    try {
      await vi.waitFor(
        async () => {
          for (const name of groups) {
            const topic = name.endsWith('-events')
              ? this.h.topics.driverEvents
              : this.h.topics.driverLocation;
            const ends = await admin.fetchTopicOffsets(topic);
            const [committed] = await admin.fetchOffsets({
              groupId: groupId(this.h.topicPrefix, `nearest-${name}`),
              topics: [topic],
            });
            for (const end of ends) {
              const at = committed!.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
              ready(`${name} at the end of partition ${end.partition}`, Number(at) >= Number(end.high));
            }
          }
        },
        { timeout: 30_000, interval: 250 },
      );
    } finally {
      await admin.disconnect();
    }
  }
}

function event(d: Truth, state: Truth['state'], version: number, at: number): DriverStateEvent {
  return {
    type: 'driver.state',
    driverId: d.id,
    state: state as DriverStateEvent['state'],
    previous: 'available',
    event: 'pause',
    actor: 'driver',
    vehicleTypeId: d.vt,
    vehicleId: null,
    sessionId: d.sessionId,
    version,
    at,
  };
}

function record(d: Truth, seq: number): LocationRecord {
  return {
    driverId: d.id,
    sessionId: d.sessionId,
    seq,
    at: d.rx,
    lat: d.lat,
    lng: d.lng,
    receivedAt: d.rx,
    state: 'available',
    vehicleTypeId: d.vt,
  };
}
