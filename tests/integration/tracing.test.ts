import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OfferView } from '@/domain/realtime-contract';
import type { ConsumedMessage } from '@/server/infra/kafka';
import { createLogger } from '@/server/infra/logger';
import { traceIdOf } from '@/server/infra/trace-context';
import { flushAllTracing, startTracing, type Tracing } from '@/server/infra/tracing';
import type { RealtimeProcess } from '@/server/realtime/start';
import { setAvailability } from '@/server/services/driver/set-availability';
import type { WebDeps } from '@/server/web/deps';
import { away, centre, onDutyDriver, rider } from './support/booking-helpers';
import { createDriver } from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';
import { startRealtimeFor, startWorkersFor } from './support/in-process-apps';
import { openSocket } from './support/sockets';
import { httpCall, quoteThenBook, sessionOf, webDepsFor } from './support/trpc';

/**
 * One trace from a rider's HTTP request to the driver's phone, over the real parts: the tRPC
 * call's span → the outbox row (PostgreSQL) → the relay's publish → Kafka headers → the workers'
 * dispatch job and consumers → realtime's Kafka reader → the socket emit. Spans are collected
 * in-process by an in-memory exporter installed for all three services before they start (the
 * processes pick it up instead of starting their own). Sampled location batches are followed
 * from the socket to the live index the same way.
 */
let h: Harness;
let realtime: RealtimeProcess;
let deps: WebDeps;
const exporter = new InMemorySpanExporter();
const tracings: Tracing[] = [];
const webLog: Record<string, unknown>[] = [];

beforeAll(async () => {
  h = await createHarness('tracing');
  for (const service of ['web', 'realtime', 'workers'] as const) {
    tracings.push(startTracing(service, { OTEL_TRACES_SAMPLER_ARG: 1 }, { exporter }));
  }
  // Every location batch traced, so one can be followed; production samples 1 %.
  realtime = await startRealtimeFor(h, { LOCATION_TRACES_SAMPLER_ARG: '1' });
  await startWorkersFor(h, { DISPATCH_OFFER_TTL_MS: '30000' });
  // The web process's logger as production makes it, at debug, written here instead of stdout.
  const logger = createLogger('web', 'debug', {
    write: (line: string) => void webLog.push(JSON.parse(line)),
  });
  deps = { ...webDepsFor(h), logger };
}, 90_000);

afterAll(async () => {
  await h?.cleanup();
  for (const t of tracings) await t.shutdown();
});

const service = (s: ReadableSpan) => s.resource.attributes['service.name'];
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** Waits until `pick` finds what it wants among every span finished so far. */
function spans<T>(
  what: string,
  pick: (all: ReadableSpan[]) => T | undefined | null | false,
  timeoutMs = 30_000,
) {
  return vi.waitFor(
    async () => {
      await flushAllTracing();
      return ready(what, pick(exporter.getFinishedSpans()) || undefined);
    },
    { timeout: timeoutMs },
  );
}

async function driverOnPhone() {
  const { sessionId, ...d } = await onDutyDriver(h);
  const { socket } = await openSocket(h, realtime.port, { id: d.id, role: 'driver' });
  const offers: OfferView[] = [];
  socket.on('offer:new', (offer, ack) => {
    offers.push(offer);
    ack({ received: true });
  });
  const at = away(300);
  const answer = await socket.emitWithAck('location:batch', {
    sessionId: sessionId!,
    pings: [{ seq: 1, at: Date.now() - 1_000, ...at, accuracyM: 5 }],
  });
  expect(answer).toMatchObject({ ok: true, accepted: 1 });
  await vi.waitFor(
    async () => ready('the position in the live index', (await h.liveIndex.ingestView(d.id))?.last),
    { timeout: 15_000 },
  );
  return { ...d, socket, offers };
}

describe('one trace from the HTTP request to the socket', () => {
  it('follows a booking through the outbox, Kafka, the dispatch worker and realtime to the driver', async () => {
    const d = await driverOnPhone();
    const r = await sessionOf(h, await rider(h));
    const trip = { pickup: centre, dropoff: away(3_000, 2_000), vehicleTypeId: 'economy' };
    const { quote, created, bookingId } = await quoteThenBook(deps, r, trip);
    expect(quote.status).toBe(200);
    expect(created.status).toBe(200);
    await vi.waitFor(
      () =>
        ready(
          'the offer on the driver’s phone',
          d.offers.find((o) => o.bookingId === bookingId),
        ),
      { timeout: 15_000 },
    );

    // The request's span: its trace id is the one everything below must carry.
    const request = await spans('the booking.create span', (all) =>
      all.find((s) => s.name === 'trpc booking.create' && s.attributes['trpc.result'] === 'ok'),
    );
    expect([service(request), request.kind, parentOf(request)]).toEqual(['web', SpanKind.SERVER, undefined]);
    const traceId = request.spanContext().traceId;

    const inTrace = (all: ReadableSpan[]) => all.filter((s) => s.spanContext().traceId === traceId);
    /** A span and its ancestors up to the request, as `service name`, each found by its parent id. */
    const lineage = (all: ReadableSpan[], span: ReadableSpan) => {
      const byId = new Map(inTrace(all).map((s) => [s.spanContext().spanId, s]));
      const chain: string[] = [];
      for (let at: ReadableSpan | undefined = span; at; at = byId.get(parentOf(at) ?? '')) {
        chain.push(`${service(at)} ${at.name.replace(h.topicPrefix, '')}`);
      }
      return chain;
    };

    // Web → outbox row → relay → Kafka headers → realtime's reader → the rider's room.
    const update = await spans('the requested event emitted', (all) =>
      inTrace(all).find(
        (s) => s.name === 'socket.emit booking:updated' && s.attributes['booking.status'] === 'requested',
      ),
    );
    expect(update.attributes).toMatchObject({ 'booking.id': bookingId, 'booking.version': 1 });
    expect(lineage(exporter.getFinishedSpans(), update)).toEqual([
      'realtime socket.emit booking:updated',
      'realtime process booking.events',
      'workers publish booking.events',
      'web trpc booking.create',
    ]);

    // Web → BullMQ job data → the dispatch worker → its outbox row → … → the driver's phone. The
    // offer's emit lasts until the phone acknowledged it.
    const offer = await spans('the offer emitted', (all) =>
      inTrace(all).find((s) => s.name === 'socket.emit offer:new'),
    );
    expect(offer.kind).toBe(SpanKind.PRODUCER);
    expect(offer.attributes).toMatchObject({ 'booking.id': bookingId, 'offer.acknowledged': true });
    expect(lineage(exporter.getFinishedSpans(), offer)).toEqual([
      'realtime socket.emit offer:new',
      'realtime process booking.events',
      'workers publish booking.events',
      'workers dispatch assign',
      'web trpc booking.create',
    ]);

    // The workers' own readers of booking events (trip facts) join the same trace.
    const tripFacts = await spans('the trip facts consumer', (all) =>
      inTrace(all).find(
        (s) =>
          service(s) === 'workers' &&
          String(s.attributes['messaging.consumer.group.name']).endsWith('trip-facts'),
      ),
    );
    expect(tripFacts.kind).toBe(SpanKind.CONSUMER);
    expect(lineage(exporter.getFinishedSpans(), tripFacts).at(-1)).toBe('web trpc booking.create');

    // The web process's log line for the call carries the trace id.
    const line = webLog.find((l) => l.msg === 'trpc call' && l.procedure === 'booking.create');
    expect(line).toMatchObject({ trace_id: traceId, span_id: request.spanContext().spanId, result: 'ok' });
  }, 90_000);

  it('puts the trace on the Kafka message of a traced change, and none on an untraced one', async () => {
    const driver = await createDriver(h.postgres.db);
    const d = await sessionOf(h, driver);
    const heard: ConsumedMessage[] = [];
    const consumer = await h.kafka.startConsumer({
      groupId: `${h.topicPrefix}tracing-${randomBytes(3).toString('hex')}`,
      topics: [h.topics.driverEvents],
      fromBeginning: true,
      logger: h.logger,
      handle: async (messages) => {
        for (const message of messages) if (message.key?.toString() === driver.id) heard.push(message);
      },
    });
    try {
      // Through tRPC: traced. Called directly (a script, the presence sweep's own loop): not.
      expect((await httpCall(deps, d, 'driver.setAvailability', { event: 'go_online' })).status).toBe(200);
      await setAvailability(h.core, { driverId: driver.id, event: 'go_offline', actor: 'driver' });
      await vi.waitFor(() => ready('both changes on Kafka', heard.length >= 2), { timeout: 15_000 });
      const request = await spans('the setAvailability span', (all) =>
        all.find((s) => s.name === 'trpc driver.setAvailability' && s.attributes['trpc.result'] === 'ok'),
      );
      const [online, offline] = heard;
      const traceparent = online!.headers?.traceparent?.toString() ?? '';
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(traceIdOf(traceparent)).toBe(request.spanContext().traceId);
      expect(offline!.headers?.traceparent).toBeUndefined();
      // Separate requests are separate traces.
      await httpCall(deps, d, 'driver.setAvailability', { event: 'go_online' });
      const calls = await spans('a second setAvailability span', (all) => {
        const found = all.filter((s) => s.name === 'trpc driver.setAvailability');
        return found.length >= 2 && found;
      });
      expect(new Set(calls.map((s) => s.spanContext().traceId)).size).toBe(calls.length);
    } finally {
      await consumer.disconnect();
    }
  }, 60_000);
});

describe('sampled location batches', () => {
  it('follow a batch from the socket through Kafka to the live index consumer', async () => {
    const d = await driverOnPhone();
    const batch = await spans('the location batch span', (all) =>
      all.find((s) => s.name === 'location.batch' && s.attributes['driver.id'] === d.id),
    );
    expect([service(batch), parentOf(batch), batch.attributes['location.accepted']]).toEqual([
      'realtime',
      undefined,
      1,
    ]);
    const consumed = await spans('the live index consuming it', (all) =>
      all.find(
        (s) =>
          s.spanContext().traceId === batch.spanContext().traceId &&
          service(s) === 'workers' &&
          parentOf(s) === batch.spanContext().spanId,
      ),
    );
    expect(consumed.name).toMatch(/^process .*driver\.location$/);
    expect(consumed.kind).toBe(SpanKind.CONSUMER);
  }, 60_000);
});
