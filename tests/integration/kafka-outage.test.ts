import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocationOutbox, type OutboxStorage, type SendBatch } from '@/components/driver/location-outbox';
import type { DropReason } from '@/domain/location';
import type { Ack, LocationBatchResult } from '@/domain/realtime-contract';
import { brokerPaths, type RunningBroker, startBroker } from '@/scripts/lib/kafka-broker';
import { groupId } from '@/server/infra/kafka';
import type { RealtimeProcess } from '@/server/realtime/start';
import { onDutyDriver } from './support/booking-helpers';
import { checkDurability } from './support/durability-checker';
import { freePort } from './support/free-port';
import { createHarness, type Harness, ready } from './support/harness';
import { startRealtimeFor, startWorkersFor } from './support/in-process-apps';
import { openSocket } from './support/sockets';

/**
 * T1: telemetry survives a broker crash. 40 drivers stream 20,000 pings through realtime with
 * the app's own resend queue; the test's private Kafka broker is SIGKILLed mid-stream and
 * restarted. Gates: lost 0, unexpected 0, history duplicates 0; consumers catch up within 60 s.
 */
const drivers = 40;
const pingsPerDriver = 500;
const flushEveryMs = 600;
const brokerName = `t1-${randomBytes(3).toString('hex')}`;

let broker: RunningBroker;
let brokerOptions: { name: string; port: number; controllerPort: number; heap: string };
let h: Harness;
let realtime: RealtimeProcess;

class MemoryStorage implements OutboxStorage {
  private readonly data = new Map<string, string>();
  load = (key: string) => this.data.get(key) ?? null;
  save = (key: string, value: string) => void this.data.set(key, value);
}

beforeAll(async () => {
  brokerOptions = {
    name: brokerName,
    port: await freePort(),
    controllerPort: await freePort(),
    heap: '512m',
  };
  broker = await startBroker(brokerOptions, false);
  h = await createHarness('t1', { kafkaBrokers: broker.brokers });
  realtime = await startRealtimeFor(h);
  await startWorkersFor(h);
}, 180_000);

afterAll(async () => {
  await h?.cleanup().catch(() => undefined);
  broker?.child?.kill('SIGKILL');
  rmSync(brokerPaths(brokerName).dir, { recursive: true, force: true });
}, 120_000);

describe('T1: telemetry survives a Kafka broker crash', () => {
  it('loses no acknowledged ping and stores none twice', async () => {
    const attempted = new Set<string>();
    const acked = new Set<string>();
    const otherDrops = new Map<DropReason, number>();
    const fleet: { id: string; outbox: LocationOutbox; send: SendBatch }[] = [];

    for (let i = 0; i < drivers; i++) {
      const { sessionId, ...d } = await onDutyDriver(h);
      const { socket } = await openSocket(h, realtime.port, { id: d.id, role: 'driver' });
      const send: SendBatch = async (session, pings) => {
        const answer: Ack<LocationBatchResult> = await socket
          .timeout(10_000)
          .emitWithAck('location:batch', { sessionId: session, pings });
        if (answer.ok) {
          const dropped = new Map(answer.dropped.map((x) => [x.seq, x.reason]));
          for (const p of pings) {
            const reason = dropped.get(p.seq);
            // "duplicate" means an earlier attempt of this ping was published: it is acknowledged.
            if (reason === undefined || reason === 'duplicate') acked.add(`${d.id}:${p.seq}`);
            else otherDrops.set(reason, (otherDrops.get(reason) ?? 0) + 1);
          }
        }
        return answer;
      };
      fleet.push({ id: d.id, outbox: new LocationOutbox(sessionId!, new MemoryStorage()), send });
    }

    // A fix every 25 ms (time runs fast here), sent as a phone does: one batch at most every
    // 600 ms, which keeps each socket under its location:batch limit (120 a minute).
    let lastAt = 0;
    const produce = async (d: (typeof fleet)[number]) => {
      let lastFlush = 0;
      for (let n = 0; n < pingsPerDriver; n++) {
        lastAt = Math.max(Date.now(), lastAt + 1);
        const ping = d.outbox.add({ at: lastAt, lat: 12.9716, lng: 77.5946 + n * 1e-7, accuracyM: 5 });
        attempted.add(`${d.id}:${ping.seq}`);
        if (Date.now() - lastFlush >= flushEveryMs) {
          lastFlush = Date.now();
          await d.outbox.flush(d.send);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const streaming = Promise.all(fleet.map(produce));

    // Crash the broker a few seconds in, leave it down, bring it back on the same data.
    await vi.waitFor(
      () => ready('a third of the pings acknowledged', acked.size > (drivers * pingsPerDriver) / 3),
      { timeout: 60_000 },
    );
    process.kill(broker.pid, 'SIGKILL');
    const ackedAtCrash = acked.size;
    await new Promise((r) => setTimeout(r, 3_000));
    broker = await startBroker(brokerOptions, false);
    await streaming;

    // Everything still queued on the "phones" goes out now that the broker is back.
    await vi.waitFor(
      async () => {
        await Promise.all(fleet.map((d) => d.outbox.flush(d.send)));
        await new Promise((r) => setTimeout(r, flushEveryMs));
        return ready(
          'every phone queue drained',
          fleet.every((d) => d.outbox.pendingCount === 0),
        );
      },
      { timeout: 120_000 },
    );

    const ids = fleet.map((d) => d.id);
    const observedRows = async () =>
      (
        await h.postgres.pool.query<{ id: string }>(
          "select driver_id || ':' || seq as id from location_history where driver_id = any($1::uuid[])",
          [ids],
        )
      ).rows.map((r) => r.id);
    await vi.waitFor(
      async () => ready('history holds every acknowledged ping', (await observedRows()).length >= acked.size),
      { timeout: 60_000 },
    );

    const report = checkDurability(attempted, acked, await observedRows());
    console.log('T1', { ...report, ackedAtCrash, otherDrops: Object.fromEntries(otherDrops) });
    expect(report.attempted).toBe(drivers * pingsPerDriver);
    expect(report.lost).toBe(0);
    expect(report.unexpected).toBe(0);
    expect(report.sinkDuplicates).toBe(0);
    expect(report.acked).toBe(report.attempted);
    expect(otherDrops.size).toBe(0);

    // Both consumer groups catch up with the end of the topic.
    const admin = h.kafka.admin();
    await admin.connect();
    try {
      await vi.waitFor(
        async () => {
          const ends = await admin.fetchTopicOffsets(h.topics.driverLocation);
          const end = ends.reduce((sum, p) => sum + Number(p.high), 0);
          for (const group of ['location-history', 'live-index']) {
            const [offsets] = await admin.fetchOffsets({
              groupId: groupId(h.topicPrefix, group),
              topics: [h.topics.driverLocation],
            });
            const committed = offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
            if (committed !== end)
              throw new Error(`Still waiting for consumer lag back to 0: ${group} ${end - committed} behind`);
          }
          console.log('T1 broker-level records', end, 'for', report.acked, 'acknowledged pings');
        },
        { timeout: 60_000 },
      );
    } finally {
      await admin.disconnect();
    }
  }, 300_000);
});
