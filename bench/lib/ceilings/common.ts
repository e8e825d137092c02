import { randomUUID } from 'node:crypto';
import { seededRandom } from '@/domain/seeded-random';
import { Histogram } from '../histogram';
import type { LoadChild } from '../load-child';

export interface CeilingOptions {
  /** Measuring window, after a warm-up of a quarter of it (≤ 1 s) that is not counted. */
  durationMs?: number;
  /** Only the Kafka ceiling needs it; defaults to the local broker. */
  kafkaBrokers?: string;
}

export interface CeilingResult {
  /** The ceiling: operations per second (members, messages, requests, rows: see each function). */
  perS: number;
  /** Further figures under their full report names, e.g. `redisGeosearchP99Ms`. */
  extra?: Record<string, number>;
  /** What bounded it, set-up details: printed under the report. */
  note?: string;
}

export type Ceiling = (options?: CeilingOptions) => Promise<CeilingResult>;

export const defaultDurationMs = 3_000;

export function warmupMs(durationMs: number): number {
  return Math.min(1_000, Math.round(durationMs / 4));
}

/** A short random id for scratch keys, topics and tables, so parallel runs never collide. */
export function scratchId(): string {
  return randomUUID().slice(0, 8);
}

/**
 * Runs `step` back to back in `lanes` concurrent loops for warm-up + `durationMs`. Operations
 * that complete after the warm-up count; the window ends when the last lane finishes, so work in
 * flight at the end is neither lost nor counted without its time. Each step's latency goes to
 * `latency` when given (meaningful when a step is one operation).
 */
export async function closedLoop(options: {
  durationMs: number;
  lanes: number;
  step: () => Promise<number>;
  latency?: Histogram;
}): Promise<{ ops: number; seconds: number }> {
  const windowStart = performance.now() + warmupMs(options.durationMs);
  const end = windowStart + options.durationMs;
  let ops = 0;
  const lane = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const done = await options.step();
      const finished = performance.now();
      if (finished >= windowStart) {
        ops += done;
        options.latency?.record(finished - started);
      }
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  return { ops, seconds: (performance.now() - windowStart) / 1000 };
}

// seededRandom: every run measures the same positions, so runs compare.
export { Histogram, seededRandom };

/**
 * Lets a running load child warm up, then measures one window: its operations per second, this
 * (server) process's CPU and the child's, each in % of one core over the window's wall time.
 */
export async function measureLoadChild(
  child: LoadChild,
  durationMs: number,
): Promise<{ perS: number; serverPct: number; clientPct: number }> {
  await new Promise((r) => setTimeout(r, warmupMs(durationMs)));
  const cpu0 = process.cpuUsage();
  const start = await child.snapshot();
  await new Promise((r) => setTimeout(r, durationMs));
  const end = await child.snapshot();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = end.atMs - start.atMs;
  return {
    perS: (end.count - start.count) / (wallMs / 1000),
    serverPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    clientPct: ((end.cpuMs - start.cpuMs) / wallMs) * 100,
  };
}

/** Bengaluru, the demo city, and a ~25 km square around it (±12.5 km). */
export const city = { lat: 12.9716, lng: 77.5946 };
const halfSideM = 12_500;
const metersPerDegreeLat = 111_320;
export const citySquare = {
  dLat: halfSideM / metersPerDegreeLat,
  dLng: halfSideM / (metersPerDegreeLat * Math.cos((city.lat * Math.PI) / 180)),
};

export function pointInCity(random: () => number): { lat: number; lng: number } {
  return {
    lat: city.lat + (random() * 2 - 1) * citySquare.dLat,
    lng: city.lng + (random() * 2 - 1) * citySquare.dLng,
  };
}
