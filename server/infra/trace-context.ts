import {
  type Attributes,
  type Context,
  context,
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * The light half of tracing (only the OpenTelemetry API): which tracer a service uses, and W3C
 * trace context as a small string map for outbox rows, Kafka headers and job data. The SDK
 * (providers, sampler, exporter) is in tracing.ts and loaded only by process start-up code.
 *
 * Realtime never makes a context active (`context.with`, `startActiveSpan`, `inSpan`): on Node 20
 * an active AsyncLocalStorage makes every promise in the process pay a hook (measured here at
 * +0.2 µs per await, +75 % on an await loop), and realtime's location path is promise-heavy. It
 * passes contexts explicitly instead. Web (Next.js uses AsyncLocalStorage anyway) and workers
 * use active spans, so their logs and outbox writes pick the span up by themselves.
 */
export type TracedService = 'web' | 'realtime' | 'workers';

const tracers = new Map<TracedService, Tracer>();
/** Services whose spans leave the process, with the share of new traces they sample. */
const exported = new Map<TracedService, number>();
const noopTracer = trace.getTracer('noop');

/**
 * Called by tracing.ts when a service's provider starts (tracer) or stops (undefined). `sampling`
 * is given when its spans are exported, with the share of new traces kept.
 */
export function registerTracer(
  service: TracedService,
  tracer: Tracer | undefined,
  sampling?: { exported: boolean; ratio: number },
): void {
  if (tracer) tracers.set(service, tracer);
  else tracers.delete(service);
  if (tracer && sampling?.exported) exported.set(service, sampling.ratio);
  else exported.delete(service);
}

export function hasTracer(service: TracedService): boolean {
  return tracers.has(service);
}

/**
 * Whether a span `service` starts now could be recorded: it exports and samples new traces, or
 * the active context holds a sampled span (children follow their parent). Hot paths skip the span,
 * its attributes and its context when not: nobody would see them.
 */
export function spanWanted(service: TracedService): boolean {
  const ratio = exported.get(service);
  if (ratio === undefined) return false;
  if (ratio > 0) return true;
  const parent = trace.getSpan(context.active())?.spanContext();
  return !!parent && (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
}

/**
 * A tracer for `service` that resolves to its provider at each span start, so a module can hold
 * one from import time. Before the provider starts (and in unit tests) it is a no-op that still
 * passes parent contexts through, so propagation works without recording anything.
 */
export function tracerFor(service: TracedService): Tracer {
  const current = () => tracers.get(service) ?? noopTracer;
  return {
    startSpan: (name, options, ctx) => current().startSpan(name, options, ctx),
    startActiveSpan: ((...args: unknown[]) =>
      (current().startActiveSpan as (...a: unknown[]) => unknown)(...args)) as Tracer['startActiveSpan'],
  };
}

/** Set on a root span whose caller already rolled the dice (location batches): the sampler keeps it. */
export const presampledAttribute = 'od.presampled';

export type TraceCarrier = Record<string, string>;

const w3c = new W3CTraceContextPropagator();
const setter = {
  set: (carrier: TraceCarrier, key: string, value: string) => {
    carrier[key] = value;
  },
};

/** `traceparent` (and `tracestate`) of the span in `ctx` (default: the active one); undefined if none. */
export function traceHeaders(ctx: Context = context.active()): TraceCarrier | undefined {
  const span = trace.getSpan(ctx);
  if (!span || !isSpanContextValid(span.spanContext())) return undefined;
  const carrier: TraceCarrier = {};
  w3c.inject(ctx, carrier, setter);
  return carrier.traceparent ? carrier : undefined;
}

type HeaderValue = string | Buffer | (string | Buffer)[] | undefined;
const firstOf = (value: HeaderValue): string | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? firstOf(value[0]) : value.toString();
const getter = {
  keys: (carrier: Record<string, HeaderValue>) => Object.keys(carrier),
  get: (carrier: Record<string, HeaderValue>, key: string) => firstOf(carrier[key]),
};

/**
 * The remote parent carried by `carrier` (outbox headers, Kafka headers, job data) as a context
 * to start spans in; undefined when it carries none or a malformed one.
 */
export function contextFrom(carrier: Record<string, HeaderValue> | null | undefined): Context | undefined {
  if (!carrier || carrier.traceparent === undefined) return undefined;
  const ctx = w3c.extract(ROOT_CONTEXT, carrier, getter);
  return trace.getSpan(ctx) ? ctx : undefined;
}

/** The trace id in a `traceparent` value (`00-<trace id>-<span id>-<flags>`). */
export const traceIdOf = (traceparent: string): string => traceparent.slice(3, 35);

/** Every `traceparent` value of a header that may repeat (location frames carry one per sampled batch). */
export function traceparentsOf(value: HeaderValue): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [value.toString()];
}

/**
 * Runs `fn` in a new span under `parent` (default: the active context), made active so that logs
 * and outbox writes inside see it; records a failure and always ends the span. Not for realtime.
 */
export function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; links?: Link[]; parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const { parent, ...spanOptions } = options;
  return tracer.startActiveSpan(name, spanOptions, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}
