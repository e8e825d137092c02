import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { root } from '@/scripts/lib/paths';

/**
 * Request/response IPC with a benchmark child process (a separate Node process, so load and the
 * system under test can sit on different cores and be sampled separately; see bench/lib/load-child.ts).
 * The parent sends commands; the child answers each with a result. `report` results can be large
 * (histograms, per-driver bitmaps): IPC carries them as JSON.
 */
type Command = 'start' | 'stop' | 'report' | 'progress' | 'overload' | 'sample';
interface Request {
  id: number;
  command: Command;
}
type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
type Hello = { ready: true; detail?: unknown } | { failed: string };

export class BenchChild {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly readyPromise: Promise<unknown>;
  private exitError: Error | null = null;

  constructor(script: string, config: unknown) {
    this.child = fork(fileURLToPath(new URL(script, import.meta.url)), [JSON.stringify(config)], {
      cwd: root,
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.readyPromise = new Promise((resolve, reject) => {
      this.child.on('message', (message: Response | Hello) => {
        if ('ready' in message) return resolve(message.detail);
        if ('failed' in message) return reject(new Error(`${script}: ${message.failed}`));
        const waiter = this.pending.get(message.id);
        if (!waiter) return;
        this.pending.delete(message.id);
        if (message.ok) waiter.resolve(message.result);
        else waiter.reject(new Error(`${script}: ${message.error}`));
      });
      this.child.on('exit', (code) => {
        this.exitError = new Error(`${script} exited with code ${code}`);
        reject(this.exitError);
        for (const w of this.pending.values()) w.reject(this.exitError);
        this.pending.clear();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  ready(): Promise<unknown> {
    return this.readyPromise;
  }

  call<T>(command: Command): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, command } satisfies Request);
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.exitError) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Child side: parse the config, set up, announce readiness, then serve commands. */
export async function runChild<C>(
  setup: (config: C) => Promise<{
    start(): unknown;
    stop(): unknown;
    report(): unknown;
    progress?(): unknown;
    overload?(): unknown;
    sample?(): unknown;
    detail?: unknown;
  }>,
): Promise<void> {
  try {
    const config = JSON.parse(process.argv[2] ?? '{}') as C;
    const handlers = await setup(config);
    process.on('message', async (request: Request) => {
      try {
        const handler = handlers[request.command];
        if (!handler) throw new Error(`no ${request.command} command in this child`);
        const result = await handler.call(handlers);
        process.send?.({ id: request.id, ok: true, result } satisfies Response);
      } catch (error) {
        process.send?.({ id: request.id, ok: false, error: String(error) } satisfies Response);
      }
    });
    process.on('disconnect', () => process.exit(0));
    process.send?.({ ready: true, detail: handlers.detail } satisfies Hello);
  } catch (error) {
    process.send?.({
      failed: error instanceof Error ? (error.stack ?? error.message) : String(error),
    } satisfies Hello);
    setTimeout(() => process.exit(1), 100);
  }
}
