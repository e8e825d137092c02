import type pg from 'pg';
import { createKafka } from '@/server/infra/kafka';
import { createLogger } from '@/server/infra/logger';
import { Histogram } from '../lib/histogram';
import type { BookingTrace } from './clients-child';

/**
 * Where a booking's latency goes, per hop, from stamps the system already writes (no server
 * change): the client's own (request start, quote answered, create answered, offer at the
 * driver), `booking_events.at` of `requested` (taken by the web process as create begins its
 * work) and of `offer` (taken by the dispatch job as it starts), and the Kafka timestamp of the
 * `offer` event (set by the outbox relay's producer as it publishes). All on one machine clock.
 *
 *   quote            t0 → quote answered                 web: routing, session check, pricing, signing
 *   toRecorded       quote answered → create's `now`     HTTP, Next.js routing, session check, input
 *   toDispatchJob    create's `now` → dispatch job start idempotency and quote checks, insert +
 *                                                        commit, BullMQ enqueue and pick-up
 *   jobToKafka       job start → offer event in Kafka    search, reserve, offer commit, outbox relay
 *   kafkaToDriver    Kafka → offer:new at the driver     realtime's Kafka reader, Socket.IO emit
 *
 * They add up to the measured latency. Beside them, `relay`: the `requested` event's `at` → its
 * Kafka time, i.e. a one-transaction commit plus the outbox relay, to tell the relay's share of
 * `jobToKafka` from the dispatch job's own work.
 */
export const hops = ['quote', 'toRecorded', 'toDispatchJob', 'jobToKafka', 'kafkaToDriver'] as const;
export type Hop = (typeof hops)[number];

/**
 * Kafka timestamps of the `requested` and `offer` events in the booking events topic, by booking
 * id. `requested` is written by a short transaction in the web process, so its `at` → Kafka time
 * is mostly the outbox relay's own delay: read beside `jobToKafka`, it splits that hop in two.
 */
export interface PublishTimes {
  requested: Map<string, number>;
  offer: Map<string, number>;
}

export async function publishTimes(brokers: string, topic: string): Promise<PublishTimes> {
  const logger = createLogger('bench', 'error');
  const kafka = createKafka({ brokers, clientId: 'bench-timeline', logger });
  const admin = kafka.admin();
  await admin.connect();
  const high = new Map(
    (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)] as const),
  );
  await admin.disconnect();
  const times: PublishTimes = { requested: new Map(), offer: new Map() };
  const pending = new Set([...high].filter(([, h]) => h > 0).map(([p]) => p));
  if (pending.size === 0) return times;
  let read: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    read = resolve;
  });
  const consumer = await kafka.startConsumer({
    groupId: `bench-timeline-${Date.now()}`,
    topics: [topic],
    fromBeginning: true,
    logger,
    handle: async (messages, { partition }) => {
      for (const m of messages) {
        const value = m.value?.toString() ?? '';
        // Cheap filter first: skip the events no hop uses without parsing them.
        const kind = value.includes('"event":"offer"')
          ? times.offer
          : value.includes('"event":"requested"')
            ? times.requested
            : null;
        if (!kind) continue;
        const { bookingId } = JSON.parse(value) as { bookingId: string };
        if (!kind.has(bookingId)) kind.set(bookingId, Number(m.timestamp));
      }
      const last = Number(messages[messages.length - 1]!.offset) + 1;
      if (last >= (high.get(partition) ?? 0)) pending.delete(partition);
      if (pending.size === 0) read();
    },
  });
  await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
  await consumer.disconnect();
  return times;
}

export async function hopHistograms(
  pool: pg.Pool,
  traces: BookingTrace[],
  published: PublishTimes,
): Promise<{ hops: Record<Hop, Histogram>; relay: Histogram; complete: number }> {
  const result = Object.fromEntries(hops.map((h) => [h, new Histogram()])) as Record<Hop, Histogram>;
  const relay = new Histogram();
  if (traces.length === 0) return { hops: result, relay, complete: 0 };
  const { rows } = await pool.query<{ booking_id: string; event: string; at: Date }>(
    "select booking_id, event, at from booking_events where event in ('requested', 'offer') and booking_id = any($1::uuid[])",
    [traces.map((t) => t[0])],
  );
  const requested = new Map<string, number>();
  const offer = new Map<string, number>();
  for (const r of rows) {
    const map = r.event === 'requested' ? requested : offer;
    // The first offer is the one the trace timed.
    if (!map.has(r.booking_id)) map.set(r.booking_id, r.at.getTime());
  }
  let complete = 0;
  for (const [id, t0, t1, , t3] of traces) {
    const recorded = requested.get(id);
    const job = offer.get(id);
    const kafka = published.offer.get(id);
    if (recorded === undefined || job === undefined || kafka === undefined) continue;
    const requestedInKafka = published.requested.get(id);
    if (requestedInKafka !== undefined) relay.record(Math.max(0, requestedInKafka - recorded));
    complete++;
    // A hop measured across two clocks can come out slightly negative: keep it at 0.
    result.quote.record(t1 - t0);
    result.toRecorded.record(Math.max(0, recorded - t1));
    result.toDispatchJob.record(Math.max(0, job - recorded));
    result.jobToKafka.record(Math.max(0, kafka - job));
    result.kafkaToDriver.record(Math.max(0, t3 - kafka));
  }
  return { hops: result, relay, complete };
}

/** "quote 4.1/12, toRecorded 2.0/9.5, …; relay alone 3.0/8.8" (p50/p99 ms). */
export function hopLine(h: { hops: Record<Hop, Histogram>; relay: Histogram }): string {
  const pair = (x: Histogram) => {
    const s = x.summary();
    return `${fmt(s.p50)}/${fmt(s.p99)}`;
  };
  return `${hops.map((name) => `${name} ${pair(h.hops[name])}`).join(', ')}; (relay of the requested event: ${pair(h.relay)})`;
}

function fmt(ms: number): string {
  return ms >= 100 ? String(Math.round(ms)) : ms.toPrecision(2);
}
