import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  CircuitState as PolicyState,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';

/**
 * A circuit breaker with a per-call timeout, over cockatiel's policies. After `failureThreshold`
 * consecutive failures (a timeout counts) it opens: calls fail at once (no waiting on a dead
 * dependency) for `resetAfterMs`; then one trial call is let through (half-open) and its outcome
 * closes or re-opens the circuit. Errors name the dependency, so logs and 503s say what is down.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(
    readonly dependency: string,
    options?: ErrorOptions,
  ) {
    super(`${dependency} is unavailable (circuit open)`, options);
  }
}

export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
  constructor(dependency: string, ms: number, options?: ErrorOptions) {
    super(`${dependency} did not answer within ${ms} ms`, options);
  }
}

export interface CircuitOptions {
  failureThreshold?: number;
  resetAfterMs?: number;
  timeoutMs?: number;
  onStateChange?: (state: CircuitState) => void;
}

const stateNames: Record<PolicyState, CircuitState> = {
  [PolicyState.Closed]: 'closed',
  [PolicyState.Open]: 'open',
  [PolicyState.HalfOpen]: 'half_open',
  // Held open by hand (`isolate`), which this code never does; to callers it is open all the same.
  [PolicyState.Isolated]: 'open',
};

export class CircuitBreaker {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly policy;
  private readonly timeoutMs: number;

  constructor(
    readonly dependency: string,
    options: CircuitOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: options.resetAfterMs ?? 5_000,
      breaker: new ConsecutiveBreaker(options.failureThreshold ?? 5),
    });
    this.breaker.onStateChange((state) => options.onStateChange?.(stateNames[state]));
    // The timeout inside the breaker, so a call that hangs counts as a failure.
    this.policy = wrap(this.breaker, timeout(this.timeoutMs, TimeoutStrategy.Aggressive));
  }

  get state(): CircuitState {
    return stateNames[this.breaker.state];
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    // Cockatiel queues callers behind the half-open trial; against a dead dependency that trial
    // takes the whole timeout, so everyone else fails fast instead, as while open.
    if (this.breaker.state === PolicyState.HalfOpen) throw new CircuitOpenError(this.dependency);
    try {
      return await this.policy.execute(() => call());
    } catch (error) {
      // instanceof, not cockatiel's isTaskCancelledError: in 3.2.1 that one tests the bulkhead flag.
      if (error instanceof BrokenCircuitError) throw new CircuitOpenError(this.dependency, { cause: error });
      if (error instanceof TaskCancelledError)
        throw new CallTimeoutError(this.dependency, this.timeoutMs, { cause: error });
      throw error;
    }
  }
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
