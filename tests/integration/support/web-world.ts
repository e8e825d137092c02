import { afterAll, beforeAll } from 'vitest';
import type { RealtimeProcess } from '@/server/realtime/start';
import type { WebDeps } from '@/server/web/deps';
import { ensureVehicleTypes } from './fixtures';
import { createHarness, type Harness } from './harness';
import { startRealtimeFor } from './in-process-apps';
import { webDepsFor } from './trpc';

export interface WebWorld {
  h: Harness;
  deps: WebDeps;
}

/**
 * What a file that calls the web doors (tRPC, REST) starts from: its own harness, the web process's
 * dependencies over it and the vehicle types seeded, with the realtime process too when `realtimeEnv`
 * is given. Registers the file's beforeAll and afterAll; the fields are set from the first test on.
 */
export function webWorld(name: string): WebWorld;
export function webWorld(
  name: string,
  options: { realtimeEnv: Record<string, string> },
): WebWorld & { realtime: RealtimeProcess };
export function webWorld(name: string, options: { realtimeEnv?: Record<string, string> } = {}) {
  const world = {} as WebWorld & { realtime: RealtimeProcess };
  beforeAll(async () => {
    world.h = await createHarness(name);
    world.deps = webDepsFor(world.h);
    await ensureVehicleTypes(world.h.postgres.db);
    if (options.realtimeEnv) world.realtime = await startRealtimeFor(world.h, options.realtimeEnv);
  }, 60_000);
  afterAll(() => world.h?.cleanup());
  return world;
}
