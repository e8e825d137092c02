import { type Attributes, ROOT_CONTEXT, type Span, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import { failSpan, presampledAttribute, traceHeaders } from './trace-context';

/** A sampled location batch in flight. */
export interface LocationSpan {
  readonly span: Span;
  /** Ends the span with how many positions were accepted. */
  end(accepted: number): void;
  fail(error: unknown): void;
}

/**
 * Traces a small share of location batches (realtime's hot path, ~24k positions/s). The dice are
 * rolled before anything else: an unsampled batch costs one `Math.random()` and allocates
 * nothing. A sampled batch gets a root span, and its drivers are noted so the frame packer can
 * put its `traceparent` on the Kafka frames that carry their positions (`traceparentFor`): the
 * ingest path itself stays untouched, and no context is ever made active (see trace-context.ts).
 * A driver's batches are ingested one at a time, so the note per driver is unambiguous.
 */
export class LocationTracing {
  private readonly inFlight = new Map<string, string>();

  constructor(
    private readonly tracer: Tracer,
    /** Share of batches traced, 0–1. */
    private readonly ratio: number,
  ) {}

  /** True for `ratio` of calls. */
  roll(): boolean {
    return this.ratio > 0 && Math.random() < this.ratio;
  }

  /** Starts a batch's span (call after `roll()` said yes) and notes its drivers for the packer. */
  start(name: string, driverIds: readonly string[], attributes: Attributes): LocationSpan {
    const span = this.tracer.startSpan(name, {
      root: true,
      kind: SpanKind.SERVER,
      attributes: { ...attributes, [presampledAttribute]: true },
    });
    const traceparent = traceHeaders(trace.setSpan(ROOT_CONTEXT, span))?.traceparent;
    if (traceparent) for (const id of driverIds) this.inFlight.set(id, traceparent);
    const release = () => {
      if (traceparent)
        for (const id of driverIds) if (this.inFlight.get(id) === traceparent) this.inFlight.delete(id);
    };
    return {
      span,
      end: (accepted) => {
        release();
        span.setAttribute('location.accepted', accepted);
        span.end();
      },
      fail: (error) => {
        release();
        failSpan(span, error);
        span.end();
      },
    };
  }

  /** How many drivers have a sampled batch in flight (the packer skips all lookups at 0). */
  get size(): number {
    return this.inFlight.size;
  }

  traceparentFor(driverId: string): string | undefined {
    return this.inFlight.get(driverId);
  }
}
