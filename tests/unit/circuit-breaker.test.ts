import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CallTimeoutError,
  CircuitBreaker,
  CircuitOpenError,
  type CircuitState,
  guarded,
} from '@/server/infra/circuit-breaker';
import { isDependencyUnavailable } from '@/server/infra/unavailable';
import { webMetrics } from '@/server/web/metrics';

// Cockatiel reads Date.now() and times calls out with setTimeout: fake timers drive both.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function breaker(onStateChange?: (state: CircuitState) => void) {
  return new CircuitBreaker('redis', {
    failureThreshold: 3,
    resetAfterMs: 2_000,
    timeoutMs: 1_500,
    onStateChange,
  });
}
const down = () => Promise.reject(new Error('connect ECONNREFUSED'));
const up = () => Promise.resolve('ok');

async function failTimes(b: CircuitBreaker, n: number) {
  for (let i = 0; i < n; i++) await expect(b.run(down)).rejects.toThrow('ECONNREFUSED');
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures, then fails at once without calling', async () => {
    const states: CircuitState[] = [];
    const b = breaker((s) => states.push(s));
    await failTimes(b, 2);
    expect(b.state).toBe('closed');
    await failTimes(b, 1);
    expect(b.state).toBe('open');
    expect(states).toEqual(['open']);

    const call = vi.fn(up);
    const refusal = await b.run(call).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(CircuitOpenError);
    expect((refusal as Error).message).toBe('redis is unavailable (circuit open)');
    expect(call).not.toHaveBeenCalled();
    expect(isDependencyUnavailable(refusal)).toBe(true);
  });

  it('counts consecutive failures only: a success in between starts again', async () => {
    const b = breaker();
    await failTimes(b, 2);
    await expect(b.run(up)).resolves.toBe('ok');
    await failTimes(b, 2);
    expect(b.state).toBe('closed');
  });

  it('lets one trial through after the reset time and closes when it succeeds', async () => {
    const states: CircuitState[] = [];
    const b = breaker((s) => states.push(s));
    await failTimes(b, 3);
    vi.advanceTimersByTime(1_999);
    await expect(b.run(up)).rejects.toBeInstanceOf(CircuitOpenError);

    vi.advanceTimersByTime(1);
    let answer!: (value: string) => void;
    const trial = b.run(() => new Promise<string>((resolve) => (answer = resolve)));
    expect(b.state).toBe('half_open');
    // While the trial is out, others fail fast rather than queue behind it.
    await expect(b.run(up)).rejects.toBeInstanceOf(CircuitOpenError);
    answer('back');
    await expect(trial).resolves.toBe('back');
    expect(b.state).toBe('closed');
    await expect(b.run(up)).resolves.toBe('ok');
    expect(states).toEqual(['open', 'half_open', 'closed']);
  });

  it('re-opens for another reset period when the trial fails', async () => {
    const states: CircuitState[] = [];
    const b = breaker((s) => states.push(s));
    await failTimes(b, 3);
    vi.advanceTimersByTime(2_000);
    await failTimes(b, 1);
    expect(b.state).toBe('open');
    await expect(b.run(up)).rejects.toBeInstanceOf(CircuitOpenError);
    vi.advanceTimersByTime(2_000);
    await expect(b.run(up)).resolves.toBe('ok');
    expect(states).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
  });

  it('times out a call that does not answer, and counts it as a failure', async () => {
    const b = breaker();
    const hang = () => new Promise<string>(() => {});
    for (let i = 0; i < 3; i++) {
      const outcome = b.run(hang).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(1_500);
      const error = await outcome;
      expect(error).toBeInstanceOf(CallTimeoutError);
      expect((error as Error).message).toBe('redis did not answer within 1500 ms');
      expect(isDependencyUnavailable(error)).toBe(true);
    }
    expect(b.state).toBe('open');
  });

  it('passes the errors of a failing call through unchanged', async () => {
    const bug = new TypeError('not a dependency problem');
    await expect(breaker().run(() => Promise.reject(bug))).rejects.toBe(bug);
  });
});

describe('guarded', () => {
  it('sends every method call through the breaker and leaves other properties alone', async () => {
    const b = breaker();
    const store = { prefix: 'od', get: vi.fn(down) };
    const safe = guarded(store, b);
    expect(safe.prefix).toBe('od');
    for (let i = 0; i < 3; i++) await expect(safe.get()).rejects.toThrow('ECONNREFUSED');
    await expect(safe.get()).rejects.toBeInstanceOf(CircuitOpenError);
    expect(store.get).toHaveBeenCalledTimes(3);
  });
});

describe('circuit metrics', () => {
  it('counts each transition by dependency and state', async () => {
    const registry = new Registry();
    const metrics = webMetrics(registry);
    const b = breaker((state) => metrics.circuitState.inc({ dependency: 'redis', state }));
    await failTimes(b, 3);
    vi.advanceTimersByTime(2_000);
    await expect(b.run(up)).resolves.toBe('ok');
    const counts = (await metrics.circuitState.get()).values.map((v) => [v.labels.state, v.value]);
    expect(counts).toEqual([
      ['open', 1],
      ['half_open', 1],
      ['closed', 1],
    ]);
  });
});
