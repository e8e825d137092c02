import { webBuildSnapshot } from '@/scripts/lib/build';
import { freePort } from '@/scripts/lib/wait';
import { type AppProcess, harnessAppEnv, startApp } from './app-process';
import { createHarness, type Harness } from './harness';

export interface WebProcessWorld {
  h: Harness;
  web: AppProcess;
  /** The environment the web process was started with (its secrets included). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * A harness and the real web process (server/web/main.ts on the production build) on a free
 * port, for tests that go through the API door itself. `extraEnv` adds or overrides settings.
 */
export async function startWebProcess(
  name: string,
  extraEnv: (h: Harness) => Record<string, string> = () => ({}),
): Promise<WebProcessWorld> {
  const webDir = webBuildSnapshot();
  const h = await createHarness(name);
  const port = (await freePort())!;
  const env = { ...harnessAppEnv(h, `http://localhost:${port}`), ...extraEnv(h) };
  const web = await startApp('web', { label: 'web', port, env, logDir: `it-${h.id}`, webDir });
  return {
    h,
    web,
    env,
    async stop() {
      await web.stop();
      await h.cleanup();
    },
  };
}
