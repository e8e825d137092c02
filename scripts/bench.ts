import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { finalJson, printReport } from '@/bench/lib/report';
import type { ScenarioModule } from '@/bench/lib/scenario';
import { log } from './lib/log';
import { root } from './lib/paths';
import { ensureServices } from './lib/services';

/**
 * `npm run bench -- NAME [--duration S] [--quick] [--profile]`: runs bench/scenarios/NAME.ts against the
 * local services, prints its table and, as the last line, its JSON (../shared/guides/performance.md),
 * and keeps the JSON in bench-results/ (git-ignored) to compare runs.
 */
const scenariosDir = join(root, 'bench', 'scenarios');
const resultsDir = join(root, 'bench-results');
const fallbackDurationS = 60;

function available(): string[] {
  return readdirSync(scenariosDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run bench -- NAME [--duration S] [--quick] [--profile]`);
  console.error(`scenarios: ${available().join(', ')}`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        duration: { type: 'string' },
        quick: { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
})();
const name = positionals[0];
if (!name || positionals.length > 1)
  usage(name ? `one scenario at a time, not ${positionals.join(' ')}` : 'no scenario named');
if (!available().includes(name)) usage(`unknown scenario "${name}"`);
const duration = values.duration === undefined ? undefined : Number(values.duration);
if (duration !== undefined && !(duration > 0)) usage(`--duration must be a positive number of seconds`);

const { kafkaBrokers } = await ensureServices();
const scenario = (await import(pathToFileURL(join(scenariosDir, `${name}.ts`)).href)) as ScenarioModule;
const durationS = duration ?? scenario.defaultDurationS ?? fallbackDurationS;
log.step(`bench ${name}: ${durationS} s${values.quick ? ' (quick)' : ''}, Kafka ${kafkaBrokers}`);

try {
  const result = await scenario.run({
    durationS,
    quick: values.quick,
    profile: values.profile,
    kafkaBrokers,
  });
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ ...finalJson(result), quick: values.quick }, null, 2)}\n`);
  printReport(result, [`saved ${file.slice(root.length + 1)}`]);
  // Client libraries (kafkajs, ioredis) may keep timers alive; the report is out, so leave now.
  process.exit(0);
} catch (error) {
  log.fail(
    `bench ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
}
