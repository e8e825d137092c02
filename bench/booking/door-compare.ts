import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StackEnv } from '@/scripts/lib/environments';
import { root, runDir } from '@/scripts/lib/paths';
import { nodeTuning } from '@/scripts/lib/stack';
import { httpOk, waitFor } from '@/scripts/lib/wait';
import { summariseProfile } from '../lib/cpu-profile-summary';
import { trpcRequestsPerS, type WebCeiling } from './web-ceilings';

/**
 * The web door's layouts, measured one after another on the same stack and port (ADR 0015):
 * - nextStart: `next start`, tRPC through Next's route pipeline (the app/api route files): before;
 * - customServer: server/web/main.ts, the API door before Next in the web process: what runs;
 * - ownProcess: the same door alone (`--api-only`), as it would run in its own process behind nginx.
 */
export const doorLayouts = ['nextStart', 'customServer', 'ownProcess'] as const;
export type DoorLayout = (typeof doorLayouts)[number];

export interface DoorFigures {
  anon: WebCeiling;
  authed: WebCeiling;
  /** CPU of the web process per signed-in request, µs (its CPU share ÷ the rate). */
  authedCpuUsPerRequest: number;
  /** With a profile: where the signed-in window's CPU went, by package (share of busy time). */
  profile?: { busyMs: number; byPackage: [string, number][]; byFunction: [string, number][] };
}

function command(layout: DoorLayout, port: number, profile: { dir: string; name: string } | null) {
  if (layout === 'nextStart') {
    // `next start` is not a plain Node entry: Next's own profiler hook (inspector, saved on exit).
    const env: Record<string, string> = profile
      ? { NEXT_CPU_PROF: '1', __NEXT_PRIVATE_CPU_PROFILE: profile.name }
      : {};
    return { file: join(root, 'node_modules/.bin/next'), args: ['start', '-p', String(port)], env };
  }
  // A directory of its own: tsx's loader thread writes a profile too (the smaller one).
  const prof = profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profile.dir, profile.name)}`] : [];
  const only = layout === 'ownProcess' ? ['--api-only'] : [];
  return {
    file: process.execPath,
    args: [...nodeTuning, ...prof, '--import', 'tsx', 'server/web/main.ts', '--port', String(port), ...only],
    env: {},
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The main thread's profile of a layout: Next writes its own under .next-profiles/ (moved into
 * `dir`); node --cpu-prof writes one per thread into `dir/name/`, the main thread's the largest.
 */
function profileFile(dir: string, name: string): string | null {
  const nextDir = join(root, '.next-profiles');
  if (existsSync(nextDir))
    for (const f of readdirSync(nextDir))
      if (f.startsWith(name) && f.endsWith('.cpuprofile')) renameSync(join(nextDir, f), join(dir, f));
  const next = readdirSync(dir).find((f) => f.startsWith(name) && f.endsWith('.cpuprofile'));
  if (next) return join(dir, next);
  const own = join(dir, name);
  if (!existsSync(own)) return null;
  const files = readdirSync(own)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(own, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  return files[0] ?? null;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Starts `layout` on the stack's web port, measures anonymous then signed-in `me`, stops it. */
export async function measureLayout(
  stack: StackEnv,
  layout: DoorLayout,
  options: { cookie: string; durationMs: number; profileDir?: string; runId: number },
): Promise<DoorFigures> {
  const port = stack.ports.web;
  const profile = options.profileDir
    ? { dir: options.profileDir, name: `door-${layout}-${options.runId}` }
    : null;
  const { file, args, env } = command(layout, port, profile);
  const logDir = join(runDir, 'logs', stack.name);
  mkdirSync(logDir, { recursive: true });
  const out = createWriteStream(join(logDir, `door-${layout}.log`), { flags: 'a' });
  const child = spawn(file, args, {
    cwd: root,
    env: { ...process.env, ...stack.env, ...env },
    stdio: 'pipe',
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  try {
    const health = `http://127.0.0.1:${port}/api/health`;
    await waitFor(`${layout} (${health})`, () => httpOk(health), 90_000);
    const web = { port, webPid: child.pid!, durationMs: options.durationMs };
    const anon = await trpcRequestsPerS(web);
    const fromUs = nowUs();
    const authed = await trpcRequestsPerS({ ...web, cookie: options.cookie });
    const toUs = nowUs();
    await stop(child);
    const figures: DoorFigures = {
      anon,
      authed,
      authedCpuUsPerRequest: (authed.webCpuPct / 100 / authed.perS) * 1e6,
    };
    const written = profile && profileFile(profile.dir, profile.name);
    if (written) {
      const s = summariseProfile(written, 10, { fromUs, toUs });
      figures.profile = { busyMs: s.totalMs, byPackage: s.byPackage, byFunction: s.byFunction };
    }
    return figures;
  } finally {
    await stop(child);
  }
}
