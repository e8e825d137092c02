import { LoadChild } from '../lib/load-child';
import { ProcessSampler } from '../lib/process-sampler';

/**
 * Ceilings of the web door itself, measured on the running web process (server/web/main.ts: the
 * API door before Next) before the booking load: how many trivial tRPC requests per second it
 * answers. `me` is the cheapest procedure there is; anonymous, it measures the door + the tRPC
 * fetch adapter; with a rider's session cookie it adds what every booking request pays before
 * its procedure runs (next-auth JWE decryption and the session lookup).
 */
export interface WebCeiling {
  perS: number;
  failed: number;
  webCpuPct: number;
  clientCpuPct: number;
}

const connections = 32;

export async function trpcRequestsPerS(options: {
  port: number;
  webPid: number;
  cookie?: string;
  durationMs: number;
}): Promise<WebCeiling> {
  const args = [String(options.port), String(connections), '/api/trpc/me'];
  if (options.cookie) args.push(`cookie: ${options.cookie}`);
  const child = new LoadChild('./http-load.ts', args);
  try {
    await child.ready();
    child.start();
    // Warm-up: Next.js loads the route module and V8 optimises on the first requests.
    await new Promise((r) => setTimeout(r, Math.min(2_000, options.durationMs / 2)));
    const sampler = new ProcessSampler([{ name: 'web', pid: options.webPid }], 500).start();
    const start = await child.snapshot();
    await new Promise((r) => setTimeout(r, options.durationMs));
    const end = await child.snapshot();
    const web = sampler.stop().processes.web;
    const wallMs = end.atMs - start.atMs;
    return {
      perS: (end.count - start.count) / (wallMs / 1000),
      failed: (end.failed ?? 0) - (start.failed ?? 0),
      webCpuPct: web?.cpuMeanPct ?? 0,
      clientCpuPct: ((end.cpuMs - start.cpuMs) / wallMs) * 100,
    };
  } finally {
    await child.stop();
  }
}
