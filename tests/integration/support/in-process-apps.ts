import { loadEnv, realtimeEnvSchema, workersEnvSchema } from '@/server/env';
import { type RealtimeProcess, startRealtimeProcess } from '@/server/realtime/start';
import { startWorkersProcess, type WorkersProcess } from '@/workers/start';
import { appEnvOf, type Harness } from './harness';

/*
 * The realtime and workers processes as production wires them (startRealtimeProcess /
 * startWorkersProcess), run inside the test's own process on the harness's database, Redis prefix,
 * topics and socket secret, on free ports, logging to the harness's logger. `h.cleanup()` stops
 * them. `env` sets what a file tunes (FANOUT_INTERVAL_MS, SESSION_CHECK_MS, DISPATCH_OFFER_TTL_MS, …).
 * For a process a test kills or restarts from its entry point, see app-process.ts and workers-child.ts.
 */

export async function startRealtimeFor(
  h: Harness,
  env: Record<string, string> = {},
): Promise<RealtimeProcess> {
  const realtime = await startRealtimeProcess(
    loadEnv(realtimeEnvSchema, { ...appEnvOf(h), LOG_LEVEL: 'silent', REALTIME_PORT: '0', ...env }),
    h.logger,
  );
  h.beforeCleanup(() => realtime.close());
  return realtime;
}

export async function startWorkersFor(h: Harness, env: Record<string, string> = {}): Promise<WorkersProcess> {
  const workers = await startWorkersProcess(
    loadEnv(workersEnvSchema, { ...appEnvOf(h), LOG_LEVEL: 'silent', WORKERS_PORT: '0', ...env }),
    h.logger,
  );
  h.beforeCleanup(() => workers.close());
  return workers;
}
