import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { portOpen, waitFor } from '@/scripts/lib/wait';
import { freePort } from './free-port';

export interface OwnRedis {
  url: string;
  /** SIGKILL, then start again on the same port with nothing in it (no persistence). */
  restartEmpty(): Promise<void>;
  /** SIGKILL, leaving it down (an outage). */
  kill(): Promise<void>;
  /** Start again (empty) on the same port after `kill`. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A private redis-server (no persistence) a test can kill, so losing Redis is a real loss. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(`redis-server on ${port}`, () => portOpen(port), 10_000);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    async restartEmpty() {
      await kill();
      await start();
    },
    kill,
    start,
    stop: kill,
  };
}
