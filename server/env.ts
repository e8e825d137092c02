import { z } from 'zod';
import { devPiiKeys, FieldCipher } from './infra/field-cipher';
import { defaultKafkaClient, kafkaClients } from './infra/kafka/port';

/**
 * Environment, validated once per process at start-up. Nothing else reads `process.env`.
 * Development defaults make each process runnable alone against the local services;
 * with APP_ENV=production every secret must be given.
 */
const appEnv = z.enum(['development', 'test', 'production']).default('development');
/** An unset-but-present variable (`PORT=`, or `${PORT}` unset in compose) means "use the default". */
const orDefault = (fallback: number) => (value: unknown) =>
  value === '' || value === undefined ? fallback : value;
const int = (fallback: number) => z.preprocess(orDefault(fallback), z.coerce.number().int());
const intIn = (min: number, max: number, fallback: number) =>
  z.preprocess(orDefault(fallback), z.coerce.number().int().min(min).max(max));

const ratio = (fallback: number) => z.preprocess(orDefault(fallback), z.coerce.number().min(0).max(1));

const devSecret = (name: string) => `dev-only-${name}-change-me-0123456789abcdef`;

function secret(name: string) {
  return z.string().min(32, `${name} must be at least 32 characters`).default(devSecret(name));
}

const piiKeys = {
  /**
   * Keys for personal fields at rest: `1:<base64 32 bytes>,2:<…>`; the highest version encrypts,
   * every listed one decrypts (add a version, run `npm run pii:rotate`, then drop the old one).
   */
  PII_KEYS: z
    .string()
    .default(devPiiKeys)
    .refine(
      (spec) => {
        try {
          FieldCipher.fromSpec(spec);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'must be version:base64-key pairs, each key 32 bytes (e.g. 1:<openssl rand -base64 32>)' },
    ),
};

const common = {
  APP_ENV: appEnv,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/opendispatch_dev'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379/0'),
  /** Namespaces every Redis key and BullMQ queue, so dev, tests and benchmarks can share a server. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/)
    .default('od'),
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  /** Which client library the Kafka port runs on (docs/decisions/0022-kafka-behind-one-port.md). */
  KAFKA_CLIENT: z.enum(kafkaClients).default(defaultKafkaClient),
  /** Prefixes every topic name, for the same reason. */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-z0-9_.-]{0,40}$/)
    .default(''),
  SOCKET_TOKEN_SECRET: secret('SOCKET_TOKEN_SECRET'),
};

/** The processes that time trips and rank candidates (web, workers). */
const travel = {
  /**
   * `roads`: fastest routes over the demo city's OpenStreetMap roads, in process (points off its
   * roads fall back to the straight line); `straight-line`: distance × 1.35 at 22 km/h.
   */
  TRAVEL_ESTIMATOR: z.enum(['roads', 'straight-line']).default('roads'),
};

/** OpenTelemetry (server/infra/tracing.ts). Without an endpoint spans stay in-process; ids still reach logs. */
const tracing = {
  /** OTLP/HTTP receiver base URL (e.g. http://collector:4318); `/v1/traces` is appended. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ),
  /** Share of new traces sampled (requests, jobs); the rest of a trace follows its first span. */
  OTEL_TRACES_SAMPLER_ARG: ratio(1),
};

export const webEnvSchema = z.object({
  ...common,
  ...tracing,
  ...piiKeys,
  ...travel,
  NEXTAUTH_SECRET: secret('NEXTAUTH_SECRET'),
  /** Signs quotes (price locks). */
  QUOTE_SECRET: secret('QUOTE_SECRET'),
  NEXTAUTH_URL: z.url().default('http://localhost:3000'),
  /** Where browsers reach the realtime server (its own origin, or the nginx front). */
  PUBLIC_REALTIME_URL: z.url().default('http://localhost:3001'),
  /**
   * A MapLibre style for every map (a hosted style, or one whose sources are `pmtiles://` URLs
   * of a self-hosted archive); unset: the built-in OpenStreetMap basemap of the demo city.
   * The page CSP allows the style's origin (server/web/content-security-policy.ts).
   */
  MAP_STYLE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  /** If set, /api/metrics requires `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16).optional()),
  /**
   * A workers process's internal base URL (its WORKERS_PORT): nearest-driver questions go to its
   * in-memory index (ADR 0018). Unset: the Redis live index answers them.
   */
  NEAREST_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  /** Sign-in attempts per client address per 15 minutes (raise it behind a shared NAT). */
  SIGNIN_ATTEMPTS_PER_IP: intIn(1, 1_000_000, 50),
  /** The API door's admission bounds (server/web/admission.ts): requests in flight at once… */
  WEB_MAX_IN_FLIGHT: intIn(1, 100_000, 128),
  /**
   * …and event-loop delay (mean over the last 250 ms) above which new API calls get 503. 0 (the
   * default): off. On a shared or throttled machine the scheduler alone pushes it past 100 ms
   * while the process is far from its own limit; the in-flight bound rises with real saturation.
   */
  WEB_MAX_EVENT_LOOP_DELAY_MS: intIn(0, 60_000, 0),
});

export const realtimeEnvSchema = z.object({
  ...common,
  ...tracing,
  /** Share of location batches traced (the hot path: the others cost one random number). */
  LOCATION_TRACES_SAMPLER_ARG: ratio(0.01),
  /** 0 picks a free port (tests). */
  REALTIME_PORT: intIn(0, 65535, 3001),
  /** Origins allowed to open sockets, comma separated. */
  REALTIME_CORS_ORIGINS: z.string().default('http://localhost:3000'),
  INSTANCE_ID: z.string().min(1).max(64).optional(),
  FANOUT_INTERVAL_MS: intIn(10, 5_000, 100),
  /** Location quality filter (domain/location.ts); defaults suit phones in a city. */
  LOCATION_MAX_ACCURACY_M: intIn(1, 10_000, 100),
  LOCATION_MAX_SPEED_MPS: intIn(1, 1_000, 70),
  LOCATION_MAX_FUTURE_SKEW_MS: intIn(0, 600_000, 30_000),
  LOCATION_MAX_AGE_MS: intIn(1_000, 86_400_000, 900_000),
  /** How often open sockets are re-checked against their auth sessions (revocation reaches them within this). */
  SESSION_CHECK_MS: intIn(500, 60_000, 30_000),
});

export const workersEnvSchema = z.object({
  ...common,
  ...tracing,
  ...piiKeys,
  ...travel,
  WORKERS_PORT: intIn(0, 65535, 3002),
  PRESENCE_SWEEP_MS: intIn(500, 60_000, 5_000),
  /** Days of location history kept; older rows are purged by the workers. */
  HISTORY_RETENTION_DAYS: intIn(1, 3_650, 30),
  /** Dispatch jobs (assignment, offer timeouts) run at once per workers process. */
  DISPATCH_CONCURRENCY: intIn(1, 256, 16),
  /** Dispatch policy (domain/dispatch-policy.ts); unset keeps its default. */
  DISPATCH_OFFER_TTL_MS: intIn(1_000, 300_000, 15_000),
  DISPATCH_MAX_OFFERS: intIn(1, 100, 8),
  DISPATCH_MAX_SEARCH_MS: intIn(1_000, 3_600_000, 120_000),
  DISPATCH_RETRY_MS: intIn(100, 60_000, 5_000),
  DISPATCH_STUCK_AFTER_MS: intIn(500, 600_000, 10_000),
  /** How often the reconciler re-derives dispatch work from PostgreSQL. */
  DISPATCH_RECONCILE_MS: intIn(500, 60_000, 5_000),
});

export const simEnvSchema = z.object({
  ...common,
  REALTIME_URL: z.url().default('http://localhost:3001'),
  NEXTAUTH_URL: z.url().default('http://localhost:3000'),
  /** Where the simulator calls the web app's API; defaults to NEXTAUTH_URL. */
  SIM_WEB_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  /** The simulator signs its drivers in like the web app does (their cookie and socket token). */
  NEXTAUTH_SECRET: secret('NEXTAUTH_SECRET'),
  SOCKET_TOKEN_SECRET: secret('SOCKET_TOKEN_SECRET'),
  SIM_DRIVERS: intIn(1, 5_000, 40),
  SIM_SEED: int(42),
  SIM_TICK_MS: intIn(200, 60_000, 2_000),
  /** Share of offers a simulated driver accepts, in percent. */
  SIM_ACCEPT_PERCENT: intIn(0, 100, 85),
  /** A simulated driver answers an offer after a delay between these, ms. */
  SIM_ANSWER_MIN_MS: intIn(0, 60_000, 2_000),
  SIM_ANSWER_MAX_MS: intIn(0, 60_000, 6_000),
  /** Time a simulated driver waits at the pickup for the rider, ms. */
  SIM_BOARDING_MS: intIn(0, 600_000, 15_000),
  /** Simulated riders (seeded accounts sim-rider-NNN) who book through the API; 0: none. */
  SIM_RIDERS: intIn(0, 5_000, 40),
  /** Bookings per hour across the city at the day's peak; the demand curve scales it by local hour. */
  SIM_BOOKINGS_PER_HOUR: intIn(0, 100_000, 60),
  /** Share of simulated bookings made for later, and share cancelled by their rider, in percent. */
  SIM_SCHEDULE_PERCENT: intIn(0, 100, 10),
  SIM_CANCEL_PERCENT: intIn(0, 100, 10),
});

export type WebEnv = z.infer<typeof webEnvSchema>;
export type RealtimeEnv = z.infer<typeof realtimeEnvSchema>;
export type WorkersEnv = z.infer<typeof workersEnvSchema>;
export type SimEnv = z.infer<typeof simEnvSchema>;
export type CommonEnv = Pick<WebEnv, keyof typeof common>;

export const envSchemas = {
  web: webEnvSchema,
  realtime: realtimeEnvSchema,
  workers: workersEnvSchema,
  sim: simEnvSchema,
} as const;

const secretKeys = ['SOCKET_TOKEN_SECRET', 'NEXTAUTH_SECRET', 'QUOTE_SECRET'] as const;

export function loadEnv<S extends z.ZodObject>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data as z.infer<S> & { APP_ENV: string };
  if (env.APP_ENV === 'production') {
    const problems: string[] = [];
    for (const key of secretKeys) {
      const value = (env as Record<string, unknown>)[key];
      if (typeof value === 'string' && value.startsWith('dev-only-'))
        problems.push(`  ${key}: must be set in production`);
    }
    if ((env as Record<string, unknown>).PII_KEYS === devPiiKeys)
      problems.push('  PII_KEYS: must be set in production');
    if (problems.length > 0) throw new Error(`Invalid environment:\n${problems.join('\n')}`);
  }
  return env;
}
