import { createKafka, ensureTopics } from '@/server/infra/kafka';
import { createLogger } from '@/server/infra/logger';
import { stopBroker } from './lib/kafka-broker';
import { log } from './lib/log';
import { ensureServices } from './lib/services';

/** `npm run services [start|stop]`: the backing services, idempotently. */
const action = process.argv[2] ?? 'start';
if (action === 'stop') {
  log.step('Stopping the Kafka broker started by this project…');
  log.ok((await stopBroker('main')) ? 'Kafka stopped' : 'Kafka was not running from this checkout');
  log.info('PostgreSQL and Redis belong to the machine and keep running.');
} else if (action === 'start') {
  const { kafkaBrokers } = await ensureServices();
  const kafka = createKafka({
    brokers: kafkaBrokers,
    clientId: 'services',
    logger: createLogger('services', 'warn'),
  });
  await ensureTopics(kafka, '');
  log.ok(`PostgreSQL 127.0.0.1:5432 · Redis 127.0.0.1:6379 · Kafka ${kafkaBrokers} (topics created)`);
} else {
  log.fail(`unknown action "${action}": use start or stop`);
  process.exit(2);
}
