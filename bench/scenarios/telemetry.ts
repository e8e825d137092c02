import type { ScenarioOptions, ScenarioResult } from '../lib/scenario';

/**
 * STUB — the `telemetry` scenario of ../shared/guides/performance.md. Being written with its tracking
 * issue by the engineer changing server/ and workers/; the harness (scripts/bench.ts, bench/lib)
 * is ready for it: measure the ceilings it compares against with bench/lib/ceilings.ts in the
 * same run, latencies with bench/lib/histogram.ts, CPU/RSS with bench/lib/process-sampler.ts.
 */
export async function run(_options: ScenarioOptions): Promise<ScenarioResult> {
  throw new Error('not implemented yet: being written with the tracking issue');
}
