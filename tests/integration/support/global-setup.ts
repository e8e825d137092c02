import { runMigrations } from '@/db/migrate';
import { ensureDatabase, ensureServices } from '@/scripts/lib/services';

/**
 * Runs once before the integration files: the real services are up (started if needed) and the
 * template database every test file clones is migrated.
 */
export default async function setup() {
  const { kafkaBrokers } = await ensureServices();
  process.env.TEST_KAFKA_BROKERS = kafkaBrokers;
  const template = process.env.TEST_TEMPLATE_DATABASE ?? 'opendispatch_test_template';
  process.env.TEST_TEMPLATE_DATABASE = template;
  await runMigrations(await ensureDatabase(template));
}
