import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ClientRun } from '@/bench/kafka-clients/client-run';
import { root } from '@/scripts/lib/paths';
import type { KafkaClientName } from '@/server/infra/kafka';
import { kafkaProducePerS } from '../lib/ceilings';
import type { ScenarioOptions, ScenarioResult } from '../lib/scenario';

/** Seconds each client produces for in each of its two turns; `--duration` overrides it. */
export const defaultDurationS = 12;

/** A, B, B, A: drift on a shared machine (the other engineer's load, the broker's) hits both alike. */
const turns: KafkaClientName[] = ['kafkajs', 'platformatic', 'platformatic', 'kafkajs'];

function turn(client: KafkaClientName, windowS: number, brokers: string): Promise<ClientRun> {
  const child = fork(
    fileURLToPath(new URL('../kafka-clients/client-run.ts', import.meta.url)),
    [client, String(windowS), brokers],
    { cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as ClientRun));
    child.once('exit', (code) => reject(new Error(`kafka-clients ${client} turn exited with ${code}`)));
  });
}

interface Figures {
  produceMsgsPerS: number;
  producePositionsPerS: number;
  produceP99Ms: number;
  produceCpuUsPerPosition: number;
  consumePositionsPerS: number;
  consumeCpuUsPerPosition: number;
  lost: number;
}

function figures(runs: ClientRun[]): Figures {
  const sum = (f: (r: ClientRun) => number) => runs.reduce((n, r) => n + f(r), 0);
  return {
    produceMsgsPerS: sum((r) => r.frames) / sum((r) => r.produceS),
    producePositionsPerS: sum((r) => r.positions) / sum((r) => r.produceS),
    produceP99Ms: Math.max(...runs.map((r) => r.produceP99Ms)),
    produceCpuUsPerPosition: sum((r) => r.produceCpuUs) / sum((r) => r.positions),
    consumePositionsPerS: sum((r) => r.consumed) / sum((r) => r.consumeS),
    consumeCpuUsPerPosition: sum((r) => r.consumeCpuUs) / sum((r) => r.consumed),
    lost: sum((r) => Math.max(0, r.positions - r.consumed)),
  };
}

/**
 * `npm run bench -- kafka-clients`: kafkajs against @platformatic/kafka on the telemetry path, in
 * the same run (ADR 0022). Each turn is a process of its own on one client: real binary location
 * frames through BatchingProducer with acks=-1 from 200 concurrent senders of 10 positions, then
 * the same frames read back by a consumer group and unpacked. CPU is that process's (user +
 * system) per position; p99 is a send's wait for its acknowledgement. The raw kafkajs produce
 * ceiling is measured first, in the same run.
 */
export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const windowS = options.quick ? 3 : options.durationS;
  const started = performance.now();
  const ceiling = await kafkaProducePerS({ durationMs: 3_000, kafkaBrokers: options.kafkaBrokers });
  const runs: ClientRun[] = [];
  const notes: string[] = [];
  for (const client of turns) {
    console.log(`  ${client}: producing for ${windowS} s, then reading it back…`);
    const load = loadavg()[0]!.toFixed(2);
    const result = await turn(client, windowS, options.kafkaBrokers);
    notes.push(
      `${client} turn: ${Math.round(result.positions / result.produceS)} positions/s produced, ` +
        `${Math.round(result.consumed / result.consumeS)}/s consumed (1-min load average ${load} before)`,
    );
    runs.push(result);
  }
  const kafkajs = figures(runs.filter((r) => r.client === 'kafkajs'));
  const platformatic = figures(runs.filter((r) => r.client === 'platformatic'));
  const prefixed = (prefix: string, f: Figures) =>
    Object.fromEntries(
      Object.entries(f).map(([k, v]) => [`${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`, v]),
    );
  const versus = (k: keyof Figures) => platformatic[k] / kafkajs[k];
  return {
    scenario: 'kafka-clients',
    durationS: (performance.now() - started) / 1000,
    metrics: { ...prefixed('kafkajs', kafkajs), ...prefixed('platformatic', platformatic) },
    ceilings: { kafkaProducePerS: ceiling.perS },
    ratios: {
      platformaticVsKafkajsProducePositions: versus('producePositionsPerS'),
      platformaticVsKafkajsConsumePositions: versus('consumePositionsPerS'),
      platformaticVsKafkajsProduceCpu: versus('produceCpuUsPerPosition'),
      platformaticVsKafkajsConsumeCpu: versus('consumeCpuUsPerPosition'),
      platformaticVsKafkajsProduceP99: versus('produceP99Ms'),
      kafkajsProducePositionsVsCeiling: kafkajs.producePositionsPerS / ceiling.perS,
    },
    notes: [
      ...notes,
      `turns ${turns.join(', ')}, ${windowS} s of producing each${options.quick ? ' (--quick: not comparable)' : ''}`,
      `ceiling: ${ceiling.note ?? ''}`,
    ],
  };
}
