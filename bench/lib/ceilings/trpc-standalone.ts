import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { root } from '@/scripts/lib/paths';
import { LoadChild } from '../load-child';
import { ProcessSampler } from '../process-sampler';
import { type CeilingOptions, type CeilingResult, defaultDurationMs, measureLoadChild } from './common';

const concurrency = 32;

/**
 * Requests per second a trivial procedure answers on tRPC 11's standalone adapter with no
 * session (its own process, 32 keep-alive connections from a load child): the yardstick for the
 * web door's trivial signed-in call (issue 11 asks for ≥ 60 % of it).
 */
export async function trpcStandalonePerS(options: CeilingOptions = {}): Promise<CeilingResult> {
  const durationMs = options.durationMs ?? defaultDurationMs;
  const server = fork(fileURLToPath(new URL('./trpc-standalone-server.ts', import.meta.url)), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    // As web runs: tRPC (and anything else that looks) takes its production paths.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const [{ port }] = (await once(server, 'message')) as [{ port: number }];
    const child = new LoadChild('./http-load.ts', [String(port), String(concurrency), '/api/trpc/me']);
    try {
      await child.ready();
      child.start();
      const sampler = new ProcessSampler([{ name: 'server', pid: server.pid! }], 500).start();
      const { perS, clientPct } = await measureLoadChild(child, durationMs);
      const serverPct = sampler.stop().processes.server?.cpuMeanPct ?? 0;
      return {
        perS,
        note: `standalone adapter in its own process, ${concurrency} keep-alive connections; server ${serverPct.toFixed(0)} % CPU, client ${clientPct.toFixed(0)} % CPU`,
      };
    } finally {
      await child.stop();
    }
  } finally {
    server.kill('SIGTERM');
  }
}
