import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEnv, webEnvSchema } from '@/server/env';
import type { RealtimeProcess } from '@/server/realtime/start';
import { createWebDeps, type WebDeps } from '@/server/web/deps';
import type { WorkersProcess } from '@/workers/start';
import { away, centre, rider } from './support/booking-helpers';
import { createUser, ensureVehicleTypes } from './support/fixtures';
import { appEnvOf, createHarness, type Harness, ready } from './support/harness';
import { startRealtimeFor, startWorkersFor } from './support/in-process-apps';
import { parsePrometheusText, sampleValue } from './support/prometheus-text';
import { openSocket } from './support/sockets';
import { httpCall, sessionOf } from './support/trpc';

/**
 * Each process's /metrics parses as Prometheus text and holds the metrics operations relies on
 * (deploy/monitoring/alerts.yml and the Grafana dashboard name them).
 */
let h: Harness;
let web: WebDeps;
let realtime: RealtimeProcess;
let workers: WorkersProcess;

beforeAll(async () => {
  h = await createHarness('metrics');
  await ensureVehicleTypes(h.postgres.db);
  web = createWebDeps(loadEnv(webEnvSchema, { ...appEnvOf(h), LOG_LEVEL: 'silent' }), h.logger);
  realtime = await startRealtimeFor(h);
  workers = await startWorkersFor(h);
}, 60_000);

afterAll(async () => {
  await web?.dispatch.close();
  web?.redis.disconnect();
  await web?.postgres.pool.end();
  await h?.cleanup();
});

async function scrapeText(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

const scrape = async (port: number) => parsePrometheusText(await scrapeText(port));

describe('metrics', () => {
  it('web, realtime and workers expose the named metrics in valid Prometheus text', async () => {
    const r = await sessionOf(h, await rider(h));
    const quote = await httpCall<{ token: string }>(web, r, 'pricing.quote', {
      pickup: centre,
      dropoff: away(3_000),
      vehicleTypeId: 'economy',
    });
    expect(quote.status).toBe(200);
    await httpCall(web, r, 'pricing.quote', { pickup: centre, dropoff: away(20), vehicleTypeId: 'economy' });
    expect(
      (
        await httpCall(web, r, 'booking.create', {
          quoteToken: quote.data!.token,
          idempotencyKey: crypto.randomUUID(),
        })
      ).status,
    ).toBe(200);
    const dispatcher = await createUser(h.postgres.db, 'dispatcher');
    const { socket } = await openSocket(h, realtime.port, dispatcher);

    const webSamples = parsePrometheusText(await web.registry.metrics());
    expect(
      sampleValue(webSamples, 'od_trpc_requests_total', { procedure: 'pricing.quote', result: 'ok' }),
    ).toBe(1);
    expect(
      sampleValue(webSamples, 'od_trpc_requests_total', {
        procedure: 'pricing.quote',
        result: 'BAD_REQUEST',
      }),
    ).toBe(1);
    expect(sampleValue(webSamples, 'od_booking_funnel_total', { step: 'booked' })).toBe(1);
    expect(sampleValue(webSamples, 'od_trpc_request_seconds_count', { procedure: 'booking.create' })).toBe(1);
    expect(sampleValue(webSamples, 'od_process_cpu_seconds_total')).toBeGreaterThan(0);

    const rtText = await scrapeText(realtime.port);
    const rt = parsePrometheusText(rtText);
    expect(sampleValue(rt, 'od_socket_connections', { role: 'dispatcher' })).toBe(1);
    expect(sampleValue(rt, 'od_fleet_view_drivers')).toBe(0);
    // Declared even before the first sample (a labelled counter has no sample until first use).
    for (const name of [
      'od_location_pings_total',
      'od_location_publish_seconds',
      'od_booking_offers_total',
    ]) {
      expect(rtText, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }

    const wk = await vi.waitFor(
      async () => {
        const samples = await scrape(workers.port);
        return ready(
          'the booking counted by the workers',
          (sampleValue(samples, 'od_booking_events_total', { event: 'requested' }) ?? 0) >= 1
            ? samples
            : null,
        );
      },
      { timeout: 15_000 },
    );
    expect(sampleValue(wk, 'od_outbox_backlog')).toBeGreaterThanOrEqual(0);
    expect(
      sampleValue(wk, 'od_kafka_consumer_lag', { group: `${h.topicPrefix}trip-facts` }),
    ).toBeGreaterThanOrEqual(0);
    expect(sampleValue(wk, 'od_dispatch_queue_jobs', { state: 'waiting' })).toBeGreaterThanOrEqual(0);
    expect(sampleValue(wk, 'od_outbox_relayed_total')).toBeGreaterThanOrEqual(1);
    await vi.waitFor(
      async () => {
        const samples = await scrape(workers.port);
        return ready(
          'the assignment job counted',
          (sampleValue(samples, 'od_dispatch_jobs_total', { job: 'assign', result: 'completed' }) ?? 0) >= 1,
        );
      },
      { timeout: 15_000 },
    );
    socket.close();

    const live = await fetch(`http://127.0.0.1:${workers.port}/health/live`);
    expect(live.status).toBe(200);
  });
});
