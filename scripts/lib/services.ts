import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ensureBroker } from './kafka-broker';
import { log } from './log';
import { waitFor } from './wait';

export const postgresAdminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
export const kafkaPort = 9092;
export const kafkaControllerPort = 9093;

async function postgresAnswers(url = postgresAdminUrl): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Uses the machine's PostgreSQL; starts the cluster if it is installed but stopped. */
export async function ensurePostgres(): Promise<void> {
  if (await postgresAnswers()) return;
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (versions.length === 0)
    throw new Error('PostgreSQL is not installed (no /etc/postgresql) and not reachable on 127.0.0.1:5432');
  log.step(`Starting PostgreSQL ${versions[0]}…`);
  execSync(`pg_ctlcluster --skip-systemctl-redirect ${versions[0]} main start`, { stdio: 'inherit' });
  await waitFor('PostgreSQL', () => postgresAnswers(), 30_000);
  log.ok('PostgreSQL up');
}

/** Creates the database if it does not exist. */
export async function ensureDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

/** Drops and re-creates a database (tests start from a known state). */
export async function recreateDatabase(name: string, template?: string): Promise<string> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  } finally {
    await admin.end();
  }
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

async function redisAnswers(): Promise<boolean> {
  const redis = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Uses the machine's Redis; starts it (no persistence, as on our machines) if stopped. */
export async function ensureRedis(): Promise<void> {
  if (await redisAnswers()) return;
  log.step('Starting Redis…');
  execSync(
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
    { stdio: 'inherit' },
  );
  await waitFor('Redis', redisAnswers, 15_000);
  log.ok('Redis up');
}

export async function ensureKafka(): Promise<string> {
  return ensureBroker({ name: 'main', port: kafkaPort, controllerPort: kafkaControllerPort });
}

export const chromiumPath = '/usr/bin/chromium';

/** Debian's Chromium for the browser tests (Playwright must not download its own). */
export function ensureChromium(): void {
  if (existsSync(chromiumPath)) return;
  log.step('Installing Chromium from Debian (first run: ~1 minute)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
  if (result.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    result = spawnSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
  }
  if (result.status !== 0 || !existsSync(chromiumPath))
    throw new Error('Could not install chromium with apt-get');
  log.ok('Chromium installed');
}

/** PostgreSQL, Redis and Kafka, each reused if running and started if not. */
export async function ensureServices(): Promise<{ kafkaBrokers: string }> {
  await Promise.all([ensurePostgres(), ensureRedis()]);
  const kafkaBrokers = await ensureKafka();
  return { kafkaBrokers };
}
