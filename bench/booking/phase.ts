import type pg from 'pg';
import { Histogram, type HistogramSummary } from '../lib/histogram';
import { ProcessSampler, type SamplerReport, type SampleTarget } from '../lib/process-sampler';
import type { BenchChild } from '../telemetry/child';
import { pgCounters } from './accounting';
import type { PhaseReport } from './clients-child';

/**
 * One measured phase of the booking load: the clients child's next phase runs for warm-up +
 * measurement while the processes are sampled and PostgreSQL's counters are read at both ends
 * of the window; then the child stops issuing and waits for its bookings to finish.
 */
export interface PhaseResult {
  report: PhaseReport;
  bookingsPerS: number;
  latency: HistogramSummary;
  samples: SamplerReport;
  seconds: number;
  pgCommits: number;
  pgRowsWritten: number;
}

export async function runPhase(options: {
  clients: BenchChild;
  warmupS: number;
  measureS: number;
  sampled: SampleTarget[];
  pool: pg.Pool;
  /** Called when the measured window opens (e.g. to mark the telemetry load's window too). */
  onWindow?: () => Promise<void>;
}): Promise<PhaseResult> {
  await options.clients.call('start');
  await sleep(options.warmupS * 1000);
  const sampler = new ProcessSampler(options.sampled).start();
  await options.onWindow?.();
  const before = await pgCounters(options.pool);
  await sleep(options.measureS * 1000);
  const after = await pgCounters(options.pool);
  const samples = sampler.stop();
  await options.clients.call('stop');
  const report = await options.clients.call<PhaseReport>('report');
  const seconds = report.windowMs / 1000;
  return {
    report,
    bookingsPerS: seconds > 0 ? report.offered / seconds : 0,
    latency: Histogram.fromSnapshot(report.latency).summary(),
    samples,
    seconds,
    pgCommits: after.commits - before.commits,
    pgRowsWritten: after.rowsWritten - before.rowsWritten,
  };
}

/**
 * CPU each process spent per booking in the window (ms of one core). With `idle` (the same
 * processes sampled with no bookings: drivers pinging, pollers and timers ticking), only what
 * the bookings added is counted: the marginal cost of a booking.
 */
export function cpuMsPerBooking(phase: PhaseResult, idle?: SamplerReport): Record<string, number> {
  const offered = phase.report.offered;
  if (offered === 0) return {};
  return Object.fromEntries(
    Object.entries(phase.samples.processes).map(([name, p]) => {
      const busyPct = Math.max(0, p.cpuMeanPct - (idle?.processes[name]?.cpuMeanPct ?? 0));
      return [name, ((busyPct / 100) * phase.samples.seconds * 1000) / offered];
    }),
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
