/**
 * Whether realtime is behind on positions, from the two places work queues up inside it: the
 * positions handed to Kafka and not yet acknowledged, and the event loop (when the CPU is
 * saturated, messages wait in socket buffers, which only shows as timers firing late).
 * Ingest turns the answer into the ack (ADR 0019): "send again in N ms" while getting behind,
 * a refusal with a retry time once behind, so the backlog stays with the senders, who keep
 * each driver's newest position, instead of growing in a hidden queue here.
 */
export interface BackpressurePolicy {
  /** Positions awaiting Kafka beyond which senders are asked to pause, and refused. */
  slowDownPending: number;
  refusePending: number;
  /** Event loop lateness (ms, smoothed) beyond which senders are asked to pause, and refused. */
  slowDownLagMs: number;
  refuseLagMs: number;
  /** How long a sender is asked to wait, when asked to pause and when refused. */
  sendAgainInMs: number;
  retryAfterMs: number;
}

/**
 * At 25k positions/s: pause at ~0.4 s of Kafka backlog or 150 ms of loop lag, refuse at ~1 s of
 * backlog or 1.5 s of lag. Refusing is the last resort: the message was already parsed and
 * validated, and will come again; the pause costs nothing.
 */
export const defaultBackpressurePolicy: BackpressurePolicy = {
  slowDownPending: 10_000,
  refusePending: 25_000,
  slowDownLagMs: 150,
  refuseLagMs: 1_500,
  sendAgainInMs: 250,
  retryAfterMs: 1_000,
};

export type Pressure = { level: 'ok' } | { level: 'slow' | 'refuse'; waitMs: number };

const probeEveryMs = 20;

export class IngestBackpressure {
  private lagMs = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pending: () => number,
    private readonly policy: BackpressurePolicy = defaultBackpressurePolicy,
  ) {}

  /** Starts probing the event loop (an unref'd timer: it never keeps the process alive). */
  start(): this {
    let expected = performance.now() + probeEveryMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = Math.max(0, now - expected);
      expected = now + probeEveryMs;
      this.observeLag(late);
    }, probeEveryMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Smoothed over ~5 probes: one long task (a GC, a big message) is not being behind. */
  observeLag(lateMs: number): void {
    this.lagMs = this.lagMs * 0.7 + lateMs * 0.3;
  }

  now(): Pressure {
    const pending = this.pending();
    const p = this.policy;
    if (pending >= p.refusePending || this.lagMs >= p.refuseLagMs)
      return { level: 'refuse', waitMs: p.retryAfterMs };
    if (pending >= p.slowDownPending || this.lagMs >= p.slowDownLagMs)
      return { level: 'slow', waitMs: p.sendAgainInMs };
    return { level: 'ok' };
  }
}
