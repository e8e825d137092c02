import { loadEnv, workersEnvSchema } from '@/server/env';
import { createKafka, ensureTopics, topicSpecs } from '@/server/infra/kafka';
import { createLogger } from '@/server/infra/logger';
import { createPostgres } from '@/server/infra/postgres';
import { oldestRollupHour } from '@/server/services/analytics/reset-rollups';
import { systemClock } from '@/server/services/ports';
import { rebuildAnalytics } from '@/workers/analytics-rebuild';
import { log } from './lib/log';

/**
 * `npm run analytics:rebuild [-- --yes]`: empties the analytics rollups and rebuilds them by
 * re-consuming `booking.events` and `driver.events` from the beginning, with progress. Workers
 * may keep running (they switch to the rebuild's consumer group by themselves).
 *
 * Kafka keeps both topics 7 days: a rebuild sees only that window, so rollups of older hours are
 * lost. When the rollups hold older hours the command stops and asks for `--yes`.
 * The supply samples (from Redis, not Kafka) are kept as they are.
 */
const env = loadEnv(workersEnvSchema);
const retentionMs = Math.min(topicSpecs.bookingEvents.retentionMs, topicSpecs.driverEvents.retentionMs);
const postgres = createPostgres(env.DATABASE_URL, {
  max: 4,
  applicationName: 'opendispatch-analytics-rebuild',
});
const logger = createLogger('analytics-rebuild', env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
const kafka = createKafka({
  brokers: env.KAFKA_BROKERS,
  clientId: 'analytics-rebuild',
  logger,
  client: env.KAFKA_CLIENT,
});

const oldest = await oldestRollupHour(postgres.pool);
const horizon = Date.now() - retentionMs;
if (oldest !== null && oldest < horizon && !process.argv.includes('--yes')) {
  log.fail(
    `the rollups go back to ${new Date(oldest).toISOString()}, but Kafka keeps only ${retentionMs / 86_400_000} days ` +
      `(since ${new Date(horizon).toISOString()}): a rebuild would lose the older hours. Run again with --yes to accept.`,
  );
  await postgres.pool.end();
  process.exit(2);
}

log.step(
  `rebuilding analytics from Kafka (topics keep ${retentionMs / 86_400_000} days; supply samples kept)`,
);
const topics = await ensureTopics(kafka, env.KAFKA_TOPIC_PREFIX);
let last = '';
const started = Date.now();
const result = await rebuildAnalytics(
  { kafka, topics, topicPrefix: env.KAFKA_TOPIC_PREFIX, pool: postgres.pool, clock: systemClock, logger },
  (progress) => {
    const line = progress
      .map(
        (p) =>
          `${p.topic} ${p.done}/${p.total}${p.total > 0 ? ` (${Math.floor((100 * p.done) / p.total)}%)` : ''}`,
      )
      .join(' · ');
    if (line !== last) log.info(line);
    last = line;
  },
);
await postgres.pool.end();
log.ok(
  `analytics rebuilt: generation ${result.generation}, ${result.messages} messages in ${Math.round((Date.now() - started) / 1000)} s`,
);
process.exit(0);
