import { context, ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SamplingDecision } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv, realtimeEnvSchema, webEnvSchema, workersEnvSchema } from '@/server/env';
import type { ConsumedMessage } from '@/server/infra/kafka';
import { carriedContexts } from '@/server/infra/kafka';
import { packLocationFrames } from '@/server/infra/location-frames';
import { LocationTracing } from '@/server/infra/location-tracing';
import { createLogger } from '@/server/infra/logger';
import {
  contextFrom,
  inSpan,
  presampledAttribute,
  traceHeaders,
  traceIdOf,
  tracerFor,
} from '@/server/infra/trace-context';
import { createSampler, flushAllTracing, startTracing, type Tracing } from '@/server/infra/tracing';

const started: Tracing[] = [];
afterEach(async () => {
  for (const t of started.splice(0)) await t.shutdown();
});

function traced(ratio = 1) {
  const exporter = new InMemorySpanExporter();
  started.push(startTracing('workers', { OTEL_TRACES_SAMPLER_ARG: ratio }, { exporter }));
  return exporter;
}

const parent = (traceId: string, sampled: boolean) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: '1111111111111111',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });

describe('configuration', () => {
  it('exports nothing unless an OTLP endpoint is set, and samples every new trace by default', () => {
    for (const schema of [webEnvSchema, realtimeEnvSchema, workersEnvSchema]) {
      const env = loadEnv(schema, { APP_ENV: 'test' });
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
      expect(env.OTEL_TRACES_SAMPLER_ARG).toBe(1);
    }
    expect(loadEnv(realtimeEnvSchema, { APP_ENV: 'test' }).LOCATION_TRACES_SAMPLER_ARG).toBe(0.01);
    const off = startTracing('web', { OTEL_TRACES_SAMPLER_ARG: 1 });
    const on = startTracing('realtime', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.invalid:4318',
      OTEL_TRACES_SAMPLER_ARG: 1,
    });
    started.push(off, on);
    expect([off.exporting, on.exporting]).toEqual([false, true]);
  });

  it('refuses a malformed endpoint or ratio at start, naming the variable', () => {
    expect(() =>
      loadEnv(workersEnvSchema, { APP_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadEnv(webEnvSchema, { APP_ENV: 'test', OTEL_TRACES_SAMPLER_ARG: '1.5' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG/,
    );
    expect(() =>
      loadEnv(realtimeEnvSchema, { APP_ENV: 'test', LOCATION_TRACES_SAMPLER_ARG: 'often' }),
    ).toThrow(/LOCATION_TRACES_SAMPLER_ARG/);
  });
});

describe('sampling', () => {
  const id = 'f'.repeat(32);
  const decide = (ratio: number, ctx = ROOT_CONTEXT, attributes = {}) =>
    createSampler(ratio).shouldSample(ctx, id, 'x', SpanKind.SERVER, attributes, []).decision;

  it('samples roots by ratio, keeps pre-sampled roots (location batches), and follows a parent', () => {
    expect(decide(0)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(1)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(0, ROOT_CONTEXT, { [presampledAttribute]: true })).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(decide(0, parent(id, true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(1, parent(id, false))).toBe(SamplingDecision.NOT_RECORD);
  });
});

describe('propagation', () => {
  it('writes the active span as traceparent and reads it back as the parent of the next span', async () => {
    const exporter = traced();
    const tracer = tracerFor('workers');
    expect(traceHeaders()).toBeUndefined();
    const carrier = await inSpan(tracer, 'write', {}, async () => traceHeaders());
    expect(carrier?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await inSpan(tracer, 'read', { parent: contextFrom(carrier) }, async () => undefined);
    await flushAllTracing();
    const [write, read] = exporter.getFinishedSpans();
    expect(read!.spanContext().traceId).toBe(write!.spanContext().traceId);
    expect(read!.parentSpanContext?.spanId).toBe(write!.spanContext().spanId);
    expect(traceIdOf(carrier!.traceparent!)).toBe(write!.spanContext().traceId);
  });

  it('ignores a missing or malformed traceparent instead of failing the message', () => {
    expect(contextFrom(undefined)).toBeUndefined();
    expect(contextFrom({})).toBeUndefined();
    expect(contextFrom({ traceparent: 'not-a-trace' })).toBeUndefined();
    expect(
      contextFrom({ traceparent: Buffer.from(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`) }),
    ).toBeDefined();
  });

  it('still passes a parent through before tracing starts (no provider: ids, no recording)', () => {
    const span = tracerFor('web').startSpan('x', {}, parent('c'.repeat(32), true));
    expect(span.spanContext().traceId).toBe('c'.repeat(32));
    expect(span.isRecording()).toBe(false);
  });

  it('gives a Kafka batch one parent per trace it carries, at most the cap', () => {
    const msg = (traceId: string) =>
      ({
        headers: { traceparent: Buffer.from(`00-${traceId}-${'1'.repeat(16)}-01`) },
      }) as unknown as ConsumedMessage;
    const batch = [
      msg('a'.repeat(32)),
      msg('a'.repeat(32)),
      { headers: {} } as ConsumedMessage,
      msg('b'.repeat(32)),
    ];
    const ids = carriedContexts(batch).map((c) => trace.getSpanContext(c)?.traceId);
    expect(ids).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
    expect(carriedContexts(batch, 1)).toHaveLength(1);
  });
});

describe('logs', () => {
  it('carry the active span’s trace and span ids, and nothing outside a span', async () => {
    traced();
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('workers', 'info', {
      write: (line: string) => void lines.push(JSON.parse(line)),
    });
    logger.info('outside');
    const ids = await inSpan(tracerFor('workers'), 'job', {}, async (span) => {
      logger.info('inside');
      return span.spanContext();
    });
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    expect(context.active()).toBe(ROOT_CONTEXT);
  });
});

describe('location batches (the hot path)', () => {
  const record = (driverId: string) => ({ key: driverId, value: JSON.stringify({ driverId }) });

  it('traces none at ratio 0 and every one at ratio 1', () => {
    traced();
    const none = new LocationTracing(tracerFor('workers'), 0);
    const all = new LocationTracing(tracerFor('workers'), 1);
    expect(Array.from({ length: 1_000 }, () => none.roll()).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => all.roll()).every(Boolean)).toBe(true);
  });

  it('puts a sampled batch’s traceparent on the frames holding its drivers only, while it is in flight', async () => {
    const exporter = traced(0);
    const traces = new LocationTracing(tracerFor('workers'), 1);
    const pack = packLocationFrames(64, traces);
    const drivers = Array.from({ length: 40 }, (_, i) => `driver-${i}`);
    // Nothing in flight: no headers at all (and no per-record lookups).
    expect(pack('t', drivers.map(record)).every((f) => f.headers === undefined)).toBe(true);

    const batch = traces.start('location.batch', ['driver-7'], {});
    const frames = pack('t', drivers.map(record));
    const carrying = frames.filter((f) => f.headers?.traceparent);
    expect(carrying).toHaveLength(1);
    expect(String(carrying[0]!.value)).toContain('"driver-7"');
    expect(traceIdOf(String(carrying[0]!.headers!.traceparent))).toBe(batch.span.spanContext().traceId);
    batch.end(1);
    expect(traces.size).toBe(0);
    expect(pack('t', drivers.map(record)).every((f) => f.headers === undefined)).toBe(true);
    // Pre-sampled: recorded even though the process samples no new traces (ratio 0).
    await flushAllTracing();
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes['location.accepted']])).toEqual([
      ['location.batch', 1],
    ]);
  });
});
