/**
 * IPC between a benchmark and a load-generator child process (see load-child.ts for why
 * children). The child counts what it completed (messages received, responses read); the parent
 * asks for snapshots at the start and end of its measuring window and divides.
 */
export type ToChild = { type: 'start' } | { type: 'snapshot' } | { type: 'stop' };

export type FromChild =
  | { type: 'ready'; detail?: Record<string, number> }
  | { type: 'progress'; count: number }
  | { type: 'snapshot'; count: number; atMs: number; cpuMs: number; failed?: number }
  | { type: 'failed'; message: string };

/** Wall clock with sub-millisecond resolution, comparable across processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export interface ChildLoad {
  /** Completed operations so far (monotonic). */
  count(): number;
  /** Of those, how many failed (e.g. non-2xx answers), if the child can tell. */
  failed?(): number;
  /** Begin generating load, if the child waits for the parent's word (HTTP does; fan-out listens). */
  start?(): void;
  stop(): Promise<void>;
}

/**
 * Child side: answers the parent's messages for `load`, and reports progress every
 * `progressMs` so the parent can keep a bounded window of work in flight.
 */
export function serveParent(load: ChildLoad, progressMs = 25): void {
  const send = (message: FromChild) => process.send?.(message);
  const progress = setInterval(() => send({ type: 'progress', count: load.count() }), progressMs);
  process.on('message', (message: ToChild) => {
    if (message.type === 'start') load.start?.();
    else if (message.type === 'snapshot') {
      const cpu = process.cpuUsage();
      send({
        type: 'snapshot',
        count: load.count(),
        atMs: nowMs(),
        cpuMs: (cpu.user + cpu.system) / 1000,
        ...(load.failed ? { failed: load.failed() } : {}),
      });
    } else if (message.type === 'stop') {
      clearInterval(progress);
      void load.stop().finally(() => process.exit(0));
    }
  });
  // If the parent dies, do not linger holding sockets.
  process.on('disconnect', () => process.exit(0));
}

export function failToParent(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.send?.({ type: 'failed', message } satisfies FromChild);
  setTimeout(() => process.exit(1), 100);
  throw error;
}
