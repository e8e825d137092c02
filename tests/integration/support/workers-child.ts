import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { nodeTuning } from '@/scripts/lib/stack';
import { appEnvOf, type Harness } from './harness';

const root = join(import.meta.dirname, '..', '..', '..');

export interface WorkersChild {
  child: ChildProcess;
  /** The last lines it logged (for a failing test's message). */
  tail(): string;
  /** SIGKILL: no graceful shutdown, jobs in flight are lost mid-way. */
  kill(): Promise<void>;
  /** SIGTERM and wait for a graceful exit. */
  stop(): Promise<void>;
}

/**
 * The real workers process (workers/main.ts: dispatch, reconciler, outbox relay, consumers) on a
 * harness's database, topics and Redis prefix, as a child process a test can kill.
 */
export async function startWorkersChild(
  h: Harness,
  env: Record<string, string> = {},
  options: { redisUrl?: string } = {},
): Promise<WorkersChild> {
  const child = spawn(process.execPath, [...nodeTuning, '--import', 'tsx', 'workers/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      ...appEnvOf(h),
      LOG_LEVEL: 'info',
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      WORKERS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stderr!.on('data', keep);
  const exited = once(child, 'exit');
  const tail = () => lines.slice(-30).join('\n');

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workers did not start in 60 s:\n${tail()}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (chunk.toString().includes('workers listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`workers exited with ${code} before starting:\n${tail()}`));
    });
  });

  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return { child, tail, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
