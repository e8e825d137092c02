import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDir } from './paths';

export interface StackEnv {
  name: 'dev' | 'test' | 'bench';
  database: string;
  ports: { web: number; realtime: number; workers: number };
  /** Environment for every app process of this stack. */
  env: Record<string, string>;
}

/** Secrets for the local stack: generated once per checkout, never committed. */
function localSecrets(): { socket: string; nextauth: string; quote: string } {
  const file = join(runDir, 'secrets.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    // Checkouts from before the quote secret existed get one added.
    if (saved.quote) return saved;
    saved.quote = randomBytes(32).toString('hex');
    writeFileSync(file, JSON.stringify(saved), { mode: 0o600 });
    return saved;
  }
  mkdirSync(runDir, { recursive: true });
  const secrets = {
    socket: randomBytes(32).toString('hex'),
    nextauth: randomBytes(32).toString('hex'),
    quote: randomBytes(32).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

function stack(
  name: StackEnv['name'],
  database: string,
  ports: StackEnv['ports'],
  isolation: { redisDb: number; redisPrefix: string; topicPrefix: string },
  secrets: { socket: string; nextauth: string; quote: string },
  kafkaBrokers: string,
): StackEnv {
  const web = `http://localhost:${ports.web}`;
  const realtime = `http://localhost:${ports.realtime}`;
  return {
    name,
    database,
    ports,
    env: {
      APP_ENV: name === 'test' ? 'test' : 'development',
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
      REDIS_URL: `redis://127.0.0.1:6379/${isolation.redisDb}`,
      REDIS_PREFIX: isolation.redisPrefix,
      KAFKA_BROKERS: kafkaBrokers,
      KAFKA_TOPIC_PREFIX: isolation.topicPrefix,
      SOCKET_TOKEN_SECRET: secrets.socket,
      NEXTAUTH_SECRET: secrets.nextauth,
      QUOTE_SECRET: secrets.quote,
      NEXTAUTH_URL: web,
      PUBLIC_REALTIME_URL: realtime,
      REALTIME_URL: realtime,
      REALTIME_PORT: String(ports.realtime),
      REALTIME_CORS_ORIGINS: `${web},http://127.0.0.1:${ports.web}`,
      WORKERS_PORT: String(ports.workers),
      NEAREST_URL: `http://127.0.0.1:${ports.workers}`,
      PORT: String(ports.web),
      // Every browser test signs in from 127.0.0.1; the per-address limit is for the internet.
      ...(name === 'test' ? { SIGNIN_ATTEMPTS_PER_IP: '10000' } : {}),
      NEXT_TELEMETRY_DISABLED: '1',
    },
  };
}

/** `npm run up`: the demo city on the standard ports. */
export function devStack(kafkaBrokers: string): StackEnv {
  return stack(
    'dev',
    'opendispatch_dev',
    { web: 3000, realtime: 3001, workers: 3002 },
    { redisDb: 0, redisPrefix: 'od', topicPrefix: '' },
    localSecrets(),
    kafkaBrokers,
  );
}

/**
 * `npm test`: other ports, database, Redis db, key prefix and topic prefix, so the tests can run
 * while the demo is up. Fresh secrets per run.
 */
export function testStack(kafkaBrokers: string): StackEnv {
  return stack(
    'test',
    'opendispatch_test',
    { web: 3100, realtime: 3101, workers: 3102 },
    { redisDb: 1, redisPrefix: 'odtest', topicPrefix: 'test.' },
    {
      socket: randomBytes(32).toString('hex'),
      nextauth: randomBytes(32).toString('hex'),
      quote: randomBytes(32).toString('hex'),
    },
    kafkaBrokers,
  );
}

/** `npm run bench`: its own ports, database, Redis db and prefixes; torn down and rebuilt per run. */
export function benchStack(kafkaBrokers: string): StackEnv {
  const stack = testStack(kafkaBrokers);
  return {
    ...stack,
    name: 'bench',
    database: 'opendispatch_bench',
    ports: { web: 3200, realtime: 3201, workers: 3202 },
    env: {
      ...stack.env,
      APP_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/opendispatch_bench',
      REDIS_URL: 'redis://127.0.0.1:6379/5',
      REDIS_PREFIX: 'odbench',
      KAFKA_TOPIC_PREFIX: 'bench.',
      NEXTAUTH_URL: 'http://localhost:3200',
      PUBLIC_REALTIME_URL: 'http://localhost:3201',
      REALTIME_URL: 'http://localhost:3201',
      REALTIME_PORT: '3201',
      REALTIME_CORS_ORIGINS: 'http://localhost:3200',
      WORKERS_PORT: '3202',
      NEAREST_URL: 'http://127.0.0.1:3202',
      PORT: '3200',
    },
  };
}
