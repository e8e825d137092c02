import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StackEnv } from './environments';
import { log } from './log';
import { root, runDir } from './paths';
import { httpOk, waitFor } from './wait';

export type ProcessName = 'web' | 'realtime' | 'workers' | 'sim';

/** Each process runs from its TypeScript entry with tsx as a loader (web: its server, which hosts Next). */
const entries: Record<ProcessName, string> = {
  web: 'server/web/main.ts',
  realtime: 'server/realtime/main.ts',
  workers: 'workers/main.ts',
  sim: 'server/sim/main.ts',
};

/**
 * A young generation of 64 MB instead of 16: the realtime and workers processes allocate short-lived
 * objects per position, and profiling showed a third of realtime's CPU in scavenges at 25k/s.
 * Keep in step with package.json scripts and docker-compose.yml.
 */
export const nodeTuning = ['--max-semi-space-size=64'];

function command(stack: StackEnv, name: ProcessName, nodeArgs: string[]): [string, string[]] {
  const args = name === 'web' ? ['--port', String(stack.ports.web)] : [];
  return [process.execPath, [...nodeTuning, ...nodeArgs, '--import', 'tsx', entries[name], ...args]];
}

export interface StartOptions {
  extraEnv?: Record<string, string>;
  /** Node flags for the TypeScript processes, e.g. --cpu-prof (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
}

export interface RunningProcess {
  name: ProcessName;
  child: ChildProcess;
  logFile: string;
}

export interface Stack {
  processes: RunningProcess[];
  stop(): Promise<void>;
}

function healthUrl(stack: StackEnv, name: ProcessName): string | null {
  if (name === 'web') return `http://127.0.0.1:${stack.ports.web}/api/health`;
  if (name === 'realtime') return `http://127.0.0.1:${stack.ports.realtime}/health`;
  if (name === 'workers') return `http://127.0.0.1:${stack.ports.workers}/health`;
  return null;
}

export function startProcess(stack: StackEnv, name: ProcessName, options: StartOptions = {}): RunningProcess {
  const logDir = join(runDir, 'logs', stack.name);
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const [file, args] = command(stack, name, options.nodeArgs ?? []);
  const child = spawn(file, args, {
    cwd: root,
    env: { ...process.env, ...stack.env, ...options.extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return { name, child, logFile };
}

async function stopProcess(p: RunningProcess, timeoutMs = 30_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the app processes of a stack in order and waits for each health endpoint. Logs go to
 * .run/logs/<stack>/<process>.log. If a process dies during start-up, its log tail is shown.
 */
export async function startStack(
  stack: StackEnv,
  names: ProcessName[],
  options: StartOptions = {},
): Promise<Stack> {
  const processes: RunningProcess[] = [];
  const stopAll = async () => {
    for (const p of [...processes].reverse()) await stopProcess(p);
  };
  try {
    for (const name of names) {
      log.step(`Starting ${name}…`);
      const p = startProcess(stack, name, options);
      processes.push(p);
      const url = healthUrl(stack, name);
      const died = new Promise<never>((_, reject) =>
        p.child.once('exit', (code) =>
          reject(new Error(`${name} exited with code ${code} during start-up; see ${p.logFile}`)),
        ),
      );
      if (url) await Promise.race([waitFor(`${name} (${url})`, () => httpOk(url), 90_000), died]);
      log.ok(`${name} ready${url ? ` (${url.replace('/api/health', '').replace('/health', '')})` : ''}`);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { processes, stop: stopAll };
}
