import { seedDemoData } from '@/db/seed';
import { ensureWebBuild } from '@/scripts/lib/build';
import { testStack } from '@/scripts/lib/environments';
import { resetStack } from '@/scripts/lib/reset-stack';
import { ensureServices } from '@/scripts/lib/services';
import { startStack } from '@/scripts/lib/stack';
import { createPostgres } from '@/server/infra/postgres';

/**
 * A fresh test stack for the browser tests: reset (scripts/lib/reset-stack.ts) and seeded, then
 * workers, realtime and web on 3100–3102. Returns the teardown.
 */
export default async function globalSetup() {
  const { kafkaBrokers } = await ensureServices();
  const stack = testStack(kafkaBrokers);
  const url = await resetStack(stack, process.env.TEST_TEMPLATE_DATABASE ?? 'opendispatch_test_template');
  const postgres = createPostgres(url, { max: 2 });
  await seedDemoData(postgres.db, { simDrivers: 5 });
  await postgres.pool.end();

  ensureWebBuild();
  const running = await startStack(stack, ['workers', 'realtime', 'web']);
  return async () => {
    await running.stop();
  };
}
