import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface AdmissionLimits {
  /** API requests being answered at once; the next one is refused. */
  maxInFlight: number;
  /** Mean event-loop delay (ms, over the last window) above which new requests are refused; 0: off. */
  maxEventLoopDelayMs: number;
}

export type RefusalReason = 'in_flight' | 'event_loop';

export interface Admission {
  /** Null when the request may go ahead (call `leave` when it is answered), else why not. */
  enter(): RefusalReason | null;
  leave(): void;
  inFlight(): number;
  stop(): void;
}

/** Seconds a refused caller is told to wait: long enough for a burst to drain, short for a person. */
export const admissionRetryAfterS = 1;
const windowMs = 250;

/**
 * Admission control of one web process: when it is over capacity a new API request is refused
 * at once (503, Retry-After) instead of queueing behind the others, so the requests it does take
 * are answered in time and the refused ones can go to another instance or come back. Two signals:
 * requests in flight (a slow dependency piles them up) and event-loop delay (the CPU is saturated,
 * whatever the requests are: pages count too).
 */
export function createAdmission(limits: AdmissionLimits, registry?: Registry): Admission {
  const refused = new Counter({
    name: 'od_web_admission_refused_total',
    help: 'API requests refused with 503 by admission control, by reason (in_flight, event_loop)',
    labelNames: ['reason'],
    registers: registry ? [registry] : [],
  });
  let inFlight = 0;
  new Gauge({
    name: 'od_web_in_flight',
    help: 'API requests being answered by this web process',
    registers: registry ? [registry] : [],
    collect() {
      this.set(inFlight);
    },
  });
  let loopDelayMs = 0;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let timer: NodeJS.Timeout | undefined;
  if (limits.maxEventLoopDelayMs > 0) {
    histogram.enable();
    // The mean, not a high percentile: one GC pause or the scheduler giving the core to another
    // process for a moment is no reason to refuse; a loop that is late all the time is.
    timer = setInterval(() => {
      loopDelayMs = histogram.count > 0 ? histogram.mean / 1e6 : 0;
      histogram.reset();
    }, windowMs);
    timer.unref();
  }
  return {
    enter() {
      let reason: RefusalReason | null = null;
      if (inFlight >= limits.maxInFlight) reason = 'in_flight';
      else if (limits.maxEventLoopDelayMs > 0 && loopDelayMs > limits.maxEventLoopDelayMs)
        reason = 'event_loop';
      if (reason) refused.inc({ reason });
      else inFlight++;
      return reason;
    },
    leave() {
      inFlight--;
    },
    inFlight: () => inFlight,
    stop() {
      if (timer) clearInterval(timer);
      histogram.disable();
    },
  };
}
