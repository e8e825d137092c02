/**
 * A circuit breaker with a per-call timeout. After `failureThreshold` consecutive failures it
 * opens: calls fail at once (no waiting on a dead dependency) for `resetAfterMs`; then one trial
 * call is let through (half-open) and its outcome closes or re-opens the circuit.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(
    readonly dependency: string,
    readonly retryAfterMs: number,
  ) {
    super(`${dependency} is unavailable (circuit open)`);
  }
}

export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
  constructor(dependency: string, ms: number) {
    super(`${dependency} did not answer within ${ms} ms`);
  }
}

export interface CircuitOptions {
  failureThreshold?: number;
  resetAfterMs?: number;
  timeoutMs?: number;
  now?: () => number;
  onStateChange?: (state: CircuitState) => void;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trial = false;
  private current: CircuitState = 'closed';
  private readonly threshold: number;
  private readonly resetAfterMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(
    readonly dependency: string,
    private readonly options: CircuitOptions = {},
  ) {
    this.threshold = options.failureThreshold ?? 5;
    this.resetAfterMs = options.resetAfterMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    return this.current;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.current === 'open') {
      const waited = this.now() - this.openedAt;
      if (waited < this.resetAfterMs || this.trial) {
        throw new CircuitOpenError(this.dependency, Math.max(0, this.resetAfterMs - waited));
      }
      this.trial = true;
      this.set('half_open');
    }
    try {
      const result = await withTimeout(call(), this.timeoutMs, this.dependency);
      this.failures = 0;
      this.trial = false;
      if (this.current !== 'closed') this.set('closed');
      return result;
    } catch (error) {
      this.failures++;
      this.trial = false;
      if (this.current === 'half_open' || this.failures >= this.threshold) {
        this.openedAt = this.now();
        this.set('open');
      }
      throw error;
    }
  }

  private set(state: CircuitState) {
    this.current = state;
    this.options.onStateChange?.(state);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, dependency: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CallTimeoutError(dependency, ms)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The same object, with every method call going through `breaker`. For adapters whose every
 * method is a call to one dependency (the live index, the surge store, the dispatch queue).
 */
export function guarded<T extends object>(target: T, breaker: CircuitBreaker): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => breaker.run(() => value.apply(object, args));
    },
  });
}
