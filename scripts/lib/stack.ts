import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StackEnv } from './environments';
import { log } from './log';
import { root, runDir } from './paths';
import { httpOk, waitFor } from './wait';

export type ProcessName = 'web' | 'realtime' | 'workers' | 'sim';

const commands: Record<ProcessName, string[]> = {
  web: ['node_modules/.bin/next', 'start'],
  realtime: ['node_modules/.bin/tsx', 'server/realtime/main.ts'],
  workers: ['node_modules/.bin/tsx', 'workers/main.ts'],
  sim: ['node_modules/.bin/tsx', 'server/sim/main.ts'],
};

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

export function startProcess(
  stack: StackEnv,
  name: ProcessName,
  extraEnv: Record<string, string> = {},
): RunningProcess {
  const logDir = join(runDir, 'logs', stack.name);
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const [command, ...args] = commands[name];
  const child = spawn(join(root, command!), args, {
    cwd: root,
    env: { ...process.env, ...stack.env, ...extraEnv },
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
  extraEnv: Record<string, string> = {},
): Promise<Stack> {
  const processes: RunningProcess[] = [];
  const stopAll = async () => {
    for (const p of [...processes].reverse()) await stopProcess(p);
  };
  try {
    for (const name of names) {
      log.step(`Starting ${name}…`);
      const p = startProcess(stack, name, extraEnv);
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
