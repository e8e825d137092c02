import {
  type Attributes,
  type Context,
  context,
  DiagLogLevel,
  diag,
  type SpanKind,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Logger } from './logger';
import { presampledAttribute, registerTracer, type TracedService } from './trace-context';

/**
 * OpenTelemetry SDK for the app processes: one tracer provider per process (per service when
 * tests run several in one Node process), sampled parent-based, exported over OTLP/HTTP (JSON)
 * when OTEL_EXPORTER_OTLP_ENDPOINT is set, otherwise kept in-process (ids still reach logs and
 * messages). Propagation helpers and `tracerFor` are in trace-context.ts.
 */
export interface TracingConfig {
  /** Base URL of an OTLP/HTTP receiver (`/v1/traces` is appended); unset keeps spans in-process. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  /** Share of new traces (root spans) sampled, 0–1; children follow their parent's decision. */
  OTEL_TRACES_SAMPLER_ARG: number;
}

export interface Tracing {
  readonly service: TracedService;
  /** Whether spans leave the process (an exporter is configured). */
  readonly exporting: boolean;
  forceFlush(): Promise<void>;
  /** Flushes, then unregisters the service's tracer (spans after this are no-ops). */
  shutdown(): Promise<void>;
}

/**
 * Roots at the configured ratio (by trace id, so every process decides alike), except spans a
 * caller pre-sampled at its own ratio (location batches); everything else follows its parent,
 * local or remote.
 */
export function createSampler(ratio: number): Sampler {
  const byRatio = new TraceIdRatioBasedSampler(ratio);
  const root: Sampler = {
    shouldSample(ctx: Context, traceId: string, _name: string, _kind: SpanKind, attributes: Attributes) {
      if (attributes[presampledAttribute] === true) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      return byRatio.shouldSample(ctx, traceId);
    },
    toString: () => `RootSampler{ratio=${ratio}, presampled kept}`,
  };
  return new ParentBasedSampler({ root });
}

const started = new Map<TracedService, Tracing>();
let contextManagerSet = false;

/** Starts tracing for `service`; `tracerFor(service)` resolves to it until `shutdown`. */
export function startTracing(
  service: TracedService,
  config: TracingConfig,
  options: { logger?: Logger; exporter?: SpanExporter } = {},
): Tracing {
  if (!contextManagerSet) {
    // AsyncLocalStorage costs nothing until a context is made active (see trace-context.ts).
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const exporter =
    options.exporter ?? (endpoint ? new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }) : undefined);
  if (exporter && options.logger) routeDiagnostics(options.logger);
  const provider = new TracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ 'service.name': service, 'service.namespace': 'opendispatch' }),
    ),
    sampler: createSampler(config.OTEL_TRACES_SAMPLER_ARG),
    // Without an exporter, no processor: spans get ids (for logs and propagation) and are dropped.
    spanProcessors: exporter ? [new BatchSpanProcessor({ exporter, maxQueueSize: 8_192 })] : [],
  });
  const tracing: Tracing = {
    service,
    exporting: !!exporter,
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      if (started.get(service) === tracing) {
        started.delete(service);
        registerTracer(service, undefined);
      }
      await provider.shutdown().catch(() => undefined);
    },
  };
  started.set(service, tracing);
  registerTracer(service, provider.getTracer('opendispatch'), {
    exported: !!exporter,
    ratio: config.OTEL_TRACES_SAMPLER_ARG,
  });
  return tracing;
}

/**
 * Tracing for `service`, started unless this Node process already has it: the web process starts
 * it on its first request (its dependencies are created lazily too), and a test may install its
 * own exporter before starting a process. The handle shuts down only what it started itself.
 */
export function ensureTracing(service: TracedService, config: TracingConfig, logger?: Logger): Tracing {
  const existing = started.get(service);
  if (!existing) return startTracing(service, config, { logger });
  return { ...existing, shutdown: () => existing.forceFlush() };
}

/** Flushes every provider of this Node process (tests; a process's shutdown flushes its own). */
export async function flushAllTracing(): Promise<void> {
  await Promise.all([...started.values()].map((t) => t.forceFlush()));
}

/** Exporter failures (collector down) become warnings in our logs instead of silence. */
function routeDiagnostics(logger: Logger): void {
  const log = logger.child({ component: 'otel' });
  diag.setLogger(
    {
      error: (message, ...args) => log.warn({ args }, message),
      warn: (message, ...args) => log.warn({ args }, message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
}
