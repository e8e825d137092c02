import { cpus } from 'node:os';
import { type CeilingName, ceilings, measureCeilings } from '../lib/ceilings';
import { ProcessSampler, type SamplerReport } from '../lib/process-sampler';
import type { ScenarioOptions, ScenarioResult } from '../lib/scenario';
import { servicePids } from '../lib/service-pids';
import { targets } from '../lib/targets';

/** Seconds each ceiling measures for (after its warm-up); `--duration` overrides it. */
export const defaultDurationS = 3;

/**
 * `npm run bench -- ceilings`: every raw ceiling of this machine, one after another, with the CPU
 * of each service sampled meanwhile so the notes say what saturated. metrics = the ceilings
 * (there is nothing else to compare them with); ratios = the share of each ceiling a target of
 * performance.md would use.
 */
export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const durationMs = options.quick ? 1_000 : options.durationS * 1_000;
  const sampled = [...(await servicePids(options.kafkaBrokers)), { name: 'bench', pid: process.pid }];
  const started = performance.now();
  const { ceilings: figures, notes } = await measureCeilings(
    Object.keys(ceilings) as CeilingName[],
    { durationMs, kafkaBrokers: options.kafkaBrokers },
    async (name, measure) => {
      console.log(`  measuring ${name} for ${durationMs / 1000} s…`);
      const sampler = new ProcessSampler(sampled, 500).start();
      let cpu = '';
      try {
        const result = await measure();
        cpu = cpuLine(sampler.stop());
        return { ...result, note: result.note ? `${result.note}; ${cpu}` : cpu };
      } finally {
        if (!cpu) sampler.stop();
      }
    },
  );
  return {
    scenario: 'ceilings',
    durationS: (performance.now() - started) / 1000,
    metrics: figures,
    ceilings: {},
    ratios: targetRatios(figures),
    notes: [
      ...notes,
      `each ceiling measured ${durationMs / 1000} s after a warm-up${options.quick ? ' (--quick: not comparable)' : ''}`,
    ],
  };
}

/** "CPU (% of a core) redis 99 %, bench 55 %; machine 78 % of 2 cores", flagging foreign load. */
function cpuLine(report: SamplerReport): string {
  const cores = cpus().length;
  const parts = Object.entries(report.processes)
    .filter(([, p]) => p.cpuMeanPct >= 5)
    .map(([name, p]) => `${name} ${p.cpuMeanPct.toFixed(0)} %`);
  const ours = Object.values(report.processes).reduce((sum, p) => sum + p.cpuMeanPct, 0);
  const other = report.machine.cpuMeanPct * cores - ours;
  if (other >= 30)
    parts.push(`OTHER processes ${other.toFixed(0)} % (figure may be low: re-run on a quiet machine)`);
  return `CPU (% of a core) ${parts.join(', ') || 'idle'}; machine ${report.machine.cpuMeanPct.toFixed(0)} % of ${cores} cores`;
}

function targetRatios(figures: Record<string, number>): Record<string, number> {
  const ratio = (target: number, ceiling: string) => (figures[ceiling] ? target / figures[ceiling]! : 0);
  return {
    telemetryTargetVsKafkaProduce: ratio(targets.telemetryUpdatesPerS, 'kafkaProducePerS'),
    telemetryTargetVsRedisGeoadd: ratio(targets.telemetryUpdatesPerS, 'redisGeoaddPerS'),
    historyTargetVsPgInsert: ratio(targets.telemetryUpdatesPerS, 'pgInsertRowsPerS'),
    nearestTargetVsRedisGeosearch: ratio(targets.nearestQueriesPerS, 'redisGeosearchPerS'),
    socketsTargetVsSocketIoFanout: ratio(targets.socketsDeliveredPerS, 'socketIoFanoutPerS'),
    socketIoVsWsFanout: (figures.socketIoFanoutPerS ?? 0) / (figures.wsFanoutPerS || 1),
  };
}
