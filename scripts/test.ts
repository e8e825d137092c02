import { spawnSync } from 'node:child_process';
import { runMigrations } from '@/db/migrate';
import { ensureWebBuild } from './lib/build';
import { log } from './lib/log';
import { ensureNginx } from './lib/nginx';
import { root } from './lib/paths';
import { chromiumPath, ensureChromium, ensureServices, recreateDatabase } from './lib/services';

/**
 * `npm test [-- static|unit|integration|integration-fast|e2e ...]`: everything by default
 * (integration-fast, the integration files without fault injection and scale, only when asked).
 * Installs and starts what the tests need (Kafka, nginx, Chromium), so a fresh machine needs no
 * other step.
 */
export const templateDatabase = 'opendispatch_test_template';
const all = ['static', 'unit', 'integration', 'e2e'] as const;
const known = [...all, 'integration-fast'] as const;
type Suite = (typeof known)[number];
const asked = process.argv.slice(2).filter((a) => (known as readonly string[]).includes(a)) as Suite[];
const suites: Suite[] = asked.length > 0 ? asked : [...all];
const integrationProjects = suites.filter((s) => s === 'integration' || s === 'integration-fast');

const results: { suite: string; ok: boolean; seconds: number }[] = [];

function run(suite: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  log.step(`${suite}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  results.push({ suite, ok, seconds: Math.round((Date.now() - started) / 1000) });
  (ok ? log.ok : log.fail)(`${suite} ${ok ? 'passed' : 'FAILED'}`);
  return ok;
}

const needsServices = integrationProjects.length > 0 || suites.includes('e2e');
const { kafkaBrokers } = needsServices ? await ensureServices() : { kafkaBrokers: '' };
if (needsServices) {
  log.step(`Preparing template database ${templateDatabase}…`);
  await runMigrations(await recreateDatabase(templateDatabase));
  log.ok('Template database migrated');
}
// The scale-out and shutdown tests run nginx in front of the production web build: install nginx
// (Debian's) if missing and build once here, not inside a test's time limit.
if (suites.includes('integration')) {
  ensureNginx();
  ensureWebBuild();
}
const serviceEnv = { TEST_KAFKA_BROKERS: kafkaBrokers, TEST_TEMPLATE_DATABASE: templateDatabase };

let ok = true;
if (suites.includes('static')) {
  ok = run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) && ok;
  ok = run('lint', 'npx', ['biome', 'check', '.']) && ok;
}
if (suites.includes('unit')) ok = run('unit', 'npx', ['vitest', 'run', '--project', 'unit']) && ok;
for (const project of integrationProjects)
  ok = run(project, 'npx', ['vitest', 'run', '--project', project], serviceEnv) && ok;
if (suites.includes('e2e')) {
  ensureChromium();
  ensureWebBuild();
  ok =
    run('e2e', 'npx', ['playwright', 'test'], {
      ...serviceEnv,
      CHROMIUM_PATH: chromiumPath,
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    }) && ok;
}

console.log('\n  suite         result   time');
for (const r of results) console.log(`  ${r.suite.padEnd(13)} ${r.ok ? 'pass' : 'FAIL'}     ${r.seconds} s`);
console.log('');
process.exit(ok ? 0 : 1);
