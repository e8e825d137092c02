import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { root } from '@/scripts/lib/paths';
import type { FromChild, ToChild } from './load-protocol';

/**
 * Runs a load generator (a bench/lib/*.ts file) in its own Node process through tsx.
 *
 * Why a process and not the benchmark's own event loop: on a 2-core machine the server under test
 * and the clients measuring it would otherwise share one thread, so every microsecond a client
 * spends parsing frames is a microsecond the server cannot send, and the "ceiling" would be half
 * of what the server can do. A second process lets the kernel put them on the two cores, as in
 * production where clients are other machines. (A worker_thread would do too, but a process can
 * be sampled by /proc like every other part of the stack and its sockets are fully separate.)
 */
export class LoadChild {
  private readonly child: ChildProcess;
  private latest = 0;
  private readonly waiters: ((message: FromChild) => boolean)[] = [];
  private failure: Error | null = null;

  constructor(script: string, args: string[]) {
    this.child = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: FromChild) => {
      if (message.type === 'progress') this.latest = message.count;
      if (message.type === 'failed') this.failure = new Error(`${script}: ${message.message}`);
      for (let i = this.waiters.length - 1; i >= 0; i--)
        if (this.waiters[i]!(message)) this.waiters.splice(i, 1);
    });
    this.child.on('exit', (code) => {
      if (code !== 0 && !this.failure) this.failure = new Error(`${script} exited with ${code}`);
      for (const waiter of this.waiters.splice(0)) waiter({ type: 'failed', message: String(this.failure) });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** The child's count as of its last progress report (at most ~25 ms old). */
  get progress(): number {
    return this.latest;
  }

  ready(timeoutMs = 60_000): Promise<Record<string, number>> {
    return this.next('ready', timeoutMs).then((m) => (m.type === 'ready' ? (m.detail ?? {}) : {}));
  }

  start(): void {
    this.send({ type: 'start' });
  }

  async snapshot(): Promise<{ count: number; atMs: number; cpuMs: number; failed?: number }> {
    this.send({ type: 'snapshot' });
    const message = await this.next('snapshot', 10_000);
    if (message.type !== 'snapshot') throw new Error('unreachable');
    return message;
  }

  /** Resolves at the child's next progress report (used to wait for the window to drain). */
  nextProgress(): Promise<unknown> {
    return this.next('progress', 10_000);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private send(message: ToChild): void {
    if (this.failure) throw this.failure;
    this.child.send(message);
  }

  private next(type: FromChild['type'], timeoutMs: number): Promise<FromChild> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`load child: no ${type} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push((message) => {
        if (message.type === 'failed') {
          clearTimeout(timer);
          reject(this.failure ?? new Error(message.message));
          return true;
        }
        if (message.type !== type) return false;
        clearTimeout(timer);
        resolve(message);
        return true;
      });
    });
  }
}
