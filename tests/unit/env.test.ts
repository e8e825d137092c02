import { describe, expect, it } from 'vitest';
import {
  envSchemas,
  loadEnv,
  realtimeEnvSchema,
  simEnvSchema,
  webEnvSchema,
  workersEnvSchema,
} from '@/server/env';

const strong = (name: string) => `${name}-a-real-production-secret-value-xyz`;
const productionSecrets = {
  SOCKET_TOKEN_SECRET: strong('socket'),
  NEXTAUTH_SECRET: strong('nextauth'),
  QUOTE_SECRET: strong('quote'),
  PII_KEYS: `1:${Buffer.alloc(32, 7).toString('base64')}`,
};

/** An explicit environment (NODE_ENV is set as in real processes, and ignored by the schemas). */
const source = (vars: Record<string, string> = {}): Record<string, string> => ({ NODE_ENV: 'test', ...vars });

/** The message of the error `fn` throws, or fails the test when it does not throw. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('environment', () => {
  it('loads every schema from an empty environment with development defaults', () => {
    for (const schema of Object.values(envSchemas)) {
      const env = loadEnv(schema, source());
      expect(env.APP_ENV).toBe('development');
      expect(env.REDIS_PREFIX).toBe('od');
      expect(env.KAFKA_TOPIC_PREFIX).toBe('');
      expect(env.SOCKET_TOKEN_SECRET.length).toBeGreaterThanOrEqual(32);
    }
    const realtime = loadEnv(realtimeEnvSchema, source());
    expect(realtime.REALTIME_PORT).toBe(3001);
    expect(realtime.FANOUT_INTERVAL_MS).toBe(100);
    expect(realtime.INSTANCE_ID).toBeUndefined();
    expect(loadEnv(workersEnvSchema, source()).WORKERS_PORT).toBe(3002);
    expect(loadEnv(simEnvSchema, source()).SIM_SEED).toBe(42);
    expect(loadEnv(webEnvSchema, source()).NEXTAUTH_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('takes given values over the defaults', () => {
    const given = {
      APP_ENV: 'test',
      LOG_LEVEL: 'debug',
      REDIS_URL: 'redis://cache:6380/2',
      REDIS_PREFIX: 'bench_1-a',
      KAFKA_TOPIC_PREFIX: 'ci.run-7',
      INSTANCE_ID: 'rt-1',
    };
    expect(loadEnv(realtimeEnvSchema, source(given))).toMatchObject(given);
  });

  it('allows the development secrets outside production', () => {
    expect(() => loadEnv(webEnvSchema, source({ APP_ENV: 'test' }))).not.toThrow();
  });

  it('refuses the development socket secret in production, naming it', () => {
    const message = errorOf(() => loadEnv(realtimeEnvSchema, source({ APP_ENV: 'production' })));
    expect(message).toContain('SOCKET_TOKEN_SECRET');
    expect(message).toContain('must be set in production');
  });

  it('refuses the development NextAuth secret in production even when the socket secret is set', () => {
    const message = errorOf(() =>
      loadEnv(
        webEnvSchema,
        source({
          APP_ENV: 'production',
          SOCKET_TOKEN_SECRET: productionSecrets.SOCKET_TOKEN_SECRET,
        }),
      ),
    );
    expect(message).toContain('NEXTAUTH_SECRET');
    expect(message).not.toContain('SOCKET_TOKEN_SECRET');
  });

  it('loads in production once every secret is given', () => {
    const env = loadEnv(webEnvSchema, source({ APP_ENV: 'production', ...productionSecrets }));
    expect(env.NEXTAUTH_SECRET).toBe(productionSecrets.NEXTAUTH_SECRET);
    expect(env.SOCKET_TOKEN_SECRET).toBe(productionSecrets.SOCKET_TOKEN_SECRET);
    expect(loadEnv(workersEnvSchema, source({ APP_ENV: 'production', ...productionSecrets })).APP_ENV).toBe(
      'production',
    );
  });

  it('refuses the development personal-data key in production, and malformed keys anywhere', () => {
    const { PII_KEYS: _, ...withoutPii } = productionSecrets;
    const message = errorOf(() =>
      loadEnv(workersEnvSchema, source({ APP_ENV: 'production', ...withoutPii })),
    );
    expect(message).toContain('PII_KEYS: must be set in production');
    expect(errorOf(() => loadEnv(webEnvSchema, source({ PII_KEYS: '1:dG9vIHNob3J0' })))).toContain(
      'PII_KEYS: must be version:base64-key pairs',
    );
  });

  it('refuses a secret shorter than 32 characters, naming it', () => {
    const message = errorOf(() => loadEnv(webEnvSchema, source({ NEXTAUTH_SECRET: 'x'.repeat(31) })));
    expect(message).toContain('NEXTAUTH_SECRET');
    expect(message).toContain('at least 32 characters');
    expect(() => loadEnv(webEnvSchema, source({ NEXTAUTH_SECRET: 'x'.repeat(32) }))).not.toThrow();
    expect(errorOf(() => loadEnv(simEnvSchema, source({ SOCKET_TOKEN_SECRET: 'short' })))).toContain(
      'SOCKET_TOKEN_SECRET',
    );
  });

  it.each([
    ['upper case', 'OD'],
    ['a space', 'o d'],
    ['a colon', 'od:x'],
    ['empty', ''],
    ['41 characters', 'a'.repeat(41)],
  ])('refuses a REDIS_PREFIX with %s', (_name, value) => {
    expect(errorOf(() => loadEnv(workersEnvSchema, source({ REDIS_PREFIX: value })))).toContain(
      'REDIS_PREFIX',
    );
  });

  it('accepts a REDIS_PREFIX of 40 characters', () => {
    expect(loadEnv(workersEnvSchema, source({ REDIS_PREFIX: 'a'.repeat(40) })).REDIS_PREFIX).toBe(
      'a'.repeat(40),
    );
  });

  it('refuses an unknown APP_ENV and a malformed URL, naming them', () => {
    expect(errorOf(() => loadEnv(realtimeEnvSchema, source({ APP_ENV: 'prod' })))).toContain('APP_ENV');
    expect(errorOf(() => loadEnv(realtimeEnvSchema, source({ DATABASE_URL: 'not a url' })))).toContain(
      'DATABASE_URL',
    );
  });

  it('lists every problem at once', () => {
    const message = errorOf(() =>
      loadEnv(realtimeEnvSchema, source({ REDIS_PREFIX: 'BAD', REALTIME_PORT: '70000' })),
    );
    expect(message).toContain('REDIS_PREFIX');
    expect(message).toContain('REALTIME_PORT');
  });

  it('coerces numeric strings to numbers', () => {
    const env = loadEnv(realtimeEnvSchema, source({ REALTIME_PORT: '4000', FANOUT_INTERVAL_MS: '250' }));
    expect(env.REALTIME_PORT).toBe(4000);
    expect(env.FANOUT_INTERVAL_MS).toBe(250);
    expect(loadEnv(workersEnvSchema, source({ WORKERS_PORT: '65535' })).WORKERS_PORT).toBe(65535);
    expect(loadEnv(workersEnvSchema, source({ WORKERS_PORT: '1' })).WORKERS_PORT).toBe(1);
    // 0 asks the OS for a free port (tests).
    expect(loadEnv(realtimeEnvSchema, source({ REALTIME_PORT: '0' })).REALTIME_PORT).toBe(0);
    expect(loadEnv(simEnvSchema, source({ SIM_SEED: '-7' })).SIM_SEED).toBe(-7);
  });

  it.each([
    ['above 65535', '65536'],
    ['negative', '-1'],
    ['fractional', '3000.5'],
    ['not a number', 'abc'],
  ])('refuses a port that is %s', (_name, value) => {
    expect(errorOf(() => loadEnv(realtimeEnvSchema, source({ REALTIME_PORT: value })))).toContain(
      'REALTIME_PORT',
    );
    expect(errorOf(() => loadEnv(workersEnvSchema, source({ WORKERS_PORT: value })))).toContain(
      'WORKERS_PORT',
    );
  });

  it('range-checks the other numeric settings', () => {
    expect(errorOf(() => loadEnv(realtimeEnvSchema, source({ FANOUT_INTERVAL_MS: '9' })))).toContain(
      'FANOUT_INTERVAL_MS',
    );
    expect(errorOf(() => loadEnv(workersEnvSchema, source({ PRESENCE_SWEEP_MS: '60001' })))).toContain(
      'PRESENCE_SWEEP_MS',
    );
    expect(errorOf(() => loadEnv(simEnvSchema, source({ SIM_DRIVERS: '5001' })))).toContain('SIM_DRIVERS');
    expect(errorOf(() => loadEnv(simEnvSchema, source({ SIM_TICK_MS: '199' })))).toContain('SIM_TICK_MS');
  });

  it('treats a blank numeric variable as unset (as compose does for an unset variable)', () => {
    expect(loadEnv(realtimeEnvSchema, source({ REALTIME_PORT: '' })).REALTIME_PORT).toBe(3001);
    expect(loadEnv(workersEnvSchema, source({ WORKERS_PORT: '' })).WORKERS_PORT).toBe(3002);
    expect(loadEnv(simEnvSchema, source({ SIM_SEED: '' })).SIM_SEED).toBe(42);
  });
});
