import { demoAccounts, demoPassword, simDriverEmail, simRiderEmail } from '@/db/demo-data';
import { runMigrations } from '@/db/migrate';
import { seedDemoData } from '@/db/seed';
import { createKafka, ensureTopics } from '@/server/infra/kafka';
import { createLogger } from '@/server/infra/logger';
import { createPostgres } from '@/server/infra/postgres';
import { ensureWebBuild } from './lib/build';
import { devStack } from './lib/environments';
import { log } from './lib/log';
import { ensureDatabase, ensureServices } from './lib/services';
import { startStack } from './lib/stack';
import { portOpen } from './lib/wait';

/**
 * `npm run up`: services, database, demo data, build, then web + realtime + workers + the city
 * simulator. Stays in the foreground; Ctrl-C stops the app processes (services keep running).
 */
const { kafkaBrokers } = await ensureServices();
const stack = devStack(kafkaBrokers);
for (const [name, port] of Object.entries(stack.ports)) {
  if (await portOpen(port)) {
    log.fail(`Port ${port} (${name}) is already in use: is \`npm run up\` already running? Stop it first.`);
    process.exit(1);
  }
}

log.step(`Preparing database ${stack.database}…`);
const url = await ensureDatabase(stack.database);
await runMigrations(url);
const postgres = createPostgres(url, { max: 2 });
const { created } = await seedDemoData(postgres.db);
await postgres.pool.end();
log.ok(`Database migrated and seeded (${created} new demo accounts)`);

await ensureTopics(
  createKafka({ brokers: kafkaBrokers, clientId: 'up', logger: createLogger('up', 'warn') }),
  '',
);
ensureWebBuild();

const running = await startStack(stack, ['workers', 'realtime', 'web', 'sim']);
const web = `http://localhost:${stack.ports.web}`;
console.log(`
  OpenDispatch is running.

    Web app           ${web}
    Dispatcher map    ${web}/dispatch
    Driver app (PWA)  ${web}/driver
    Realtime server   http://localhost:${stack.ports.realtime}/health
    Workers           http://localhost:${stack.ports.workers}/health
    Logs              .run/logs/dev/*.log

  Demo logins (password for all: ${demoPassword})
${demoAccounts.map((a) => `    ${a.role.padEnd(11)} ${a.email}`).join('\n')}
    simulated   ${simDriverEmail(0)} … (moving on the map), ${simRiderEmail(0)} … (booking)

  Ctrl-C stops the app; \`npm run services stop\` stops Kafka.
`);

let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  log.step('Stopping app processes…');
  await running.stop();
  log.ok('Stopped');
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
for (const p of running.processes) {
  p.child.once('exit', (code) => {
    if (stopping) return;
    log.fail(`${p.name} exited (code ${code}); see ${p.logFile}`);
    void stop(1);
  });
}
