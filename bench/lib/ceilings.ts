/**
 * Raw ceilings of this machine: what Redis, Kafka, a WebSocket server, an HTTP server and
 * PostgreSQL can do here, now, with nothing of ours in the way. Scenarios measure the ones they
 * compare against in the same run (../shared/guides/performance.md) and report metric ÷ ceiling.
 * Each measures for `durationMs` (default 3 s) after a short warm-up and cleans up its scratch
 * keys, topic or table. Run them one at a time: on 2 cores they would starve each other.
 */
import type { Ceiling, CeilingOptions, CeilingResult } from './ceilings/common';
import { socketIoFanoutPerS, wsFanoutPerS } from './ceilings/fanout';
import { bareHttpPerS } from './ceilings/http';
import { kafkaProducePerS } from './ceilings/kafka';
import { pgInsertRowsPerS, pgTxPerS } from './ceilings/postgres';
import { redisGeoaddPerS, redisGeosearchPerS, redisPipelinedOpsPerS } from './ceilings/redis';
import { trpcStandalonePerS } from './ceilings/trpc-standalone';

export type { Ceiling, CeilingOptions, CeilingResult } from './ceilings/common';
export {
  bareHttpPerS,
  kafkaProducePerS,
  pgInsertRowsPerS,
  pgTxPerS,
  redisGeoaddPerS,
  redisGeosearchPerS,
  redisPipelinedOpsPerS,
  socketIoFanoutPerS,
  trpcStandalonePerS,
  wsFanoutPerS,
};

/** Every ceiling by its report name (the `ceilings` key it is printed under). */
export const ceilings = {
  redisGeoaddPerS,
  redisPipelinedOpsPerS,
  redisGeosearchPerS,
  kafkaProducePerS,
  wsFanoutPerS,
  socketIoFanoutPerS,
  bareHttpPerS,
  trpcStandalonePerS,
  pgInsertRowsPerS,
  pgTxPerS,
} satisfies Record<string, Ceiling>;

export type CeilingName = keyof typeof ceilings;

/**
 * Measures the named ceilings one after another and flattens them for a report:
 * `{ redisGeosearchPerS: 4800, redisGeosearchP99Ms: 6.1, … }`, with one note per ceiling.
 * `around` (optional) wraps each measurement and may add to its note, e.g. the CPU it used.
 */
export async function measureCeilings(
  names: CeilingName[],
  options: CeilingOptions = {},
  around?: (name: CeilingName, measure: () => Promise<CeilingResult>) => Promise<CeilingResult>,
): Promise<{ ceilings: Record<string, number>; notes: string[] }> {
  const figures: Record<string, number> = {};
  const notes: string[] = [];
  for (const name of names) {
    const measure = () => ceilings[name](options);
    const result = around ? await around(name, measure) : await measure();
    figures[name] = result.perS;
    Object.assign(figures, result.extra);
    if (result.note) notes.push(`${name}: ${result.note}`);
  }
  return { ceilings: figures, notes };
}
