import { cellToParent, latLngToCell } from 'h3-js';
import { viewportResolution } from '@/domain/realtime-contract';
import type { LiveIndex } from '@/server/adapters/live-index';
import type { Redis } from '@/server/infra/redis';
import { densityResolution } from '@/server/realtime/fleet-view';
import { Histogram } from '../lib/histogram';
import type { BenchChild } from './child';

/**
 * How fresh the live path stays (the overload phase): at intervals, the sequence number the
 * index and the dispatchers hold for a sample of drivers. A held position's *age* is how long a
 * newer position of that driver had been acknowledged without the holder having it (0 when it
 * holds the newest acknowledged one): the queue behind the ack, which must not grow under any
 * load. Positions waiting at the senders are not in it: the ack told them to wait (ADR 0019),
 * and what they replaced unsent is reported as superseded.
 */
export interface FreshnessProbe {
  at: number;
  index: number[];
  dispatchers: number[];
  /** Whether the driver's indexed position is in a room the dispatchers watch. */
  watched: boolean[];
}

/** A room realtime puts a position in (the res-6 parent of its res-7 cell, as the fan-out does). */
export function roomOf(lat: number, lng: number): string {
  return cellToParent(latLngToCell(lat, lng, densityResolution), viewportResolution);
}

export async function probeFreshness(
  redis: Redis,
  index: LiveIndex,
  dispatchers: BenchChild,
  sampleIds: readonly string[],
  watchedRooms: ReadonlySet<string>,
): Promise<FreshnessProbe> {
  const pipeline = redis.pipeline();
  for (const id of sampleIds) pipeline.hmget(index.driverKey(id), 'seq', 'lat', 'lng');
  const rows = ((await pipeline.exec()) ?? []).map(([, v]) => v as (string | null)[]);
  const at = Date.now();
  const held = await dispatchers.call<number[]>('sample');
  return {
    at,
    index: rows.map((r) => Number(r[0] ?? 0)),
    dispatchers: held,
    watched: rows.map((r) => !!r[1] && !!r[2] && watchedRooms.has(roomOf(Number(r[1]), Number(r[2])))),
  };
}

/** Time since the first acknowledgement of a position newer than `held`, as of `at` (0 if none). */
export function ageOfHeld(ackAt: Float64Array, held: number, at: number): number {
  let first = Number.POSITIVE_INFINITY;
  for (let seq = held + 1; seq < ackAt.length; seq++) {
    const acked = ackAt[seq]!;
    if (acked > 0 && acked <= at && acked < first) first = acked;
  }
  return first === Number.POSITIVE_INFINITY ? 0 : at - first;
}

/** p50/p99 of the held positions' ages, for the index and for the dispatchers (watched drivers only). */
export function freshnessSummary(probes: readonly FreshnessProbe[], ackAtSampled: readonly Float64Array[]) {
  const index = new Histogram();
  const dispatchers = new Histogram();
  for (const p of probes) {
    p.index.forEach((held, k) => {
      index.record(ageOfHeld(ackAtSampled[k]!, held, p.at));
      if (p.watched[k]) dispatchers.record(ageOfHeld(ackAtSampled[k]!, p.dispatchers[k] ?? 0, p.at));
    });
  }
  return { index: index.summary(), dispatchers: dispatchers.summary() };
}

/** Polls a Prometheus endpoint for one gauge (no labels) while the load runs. */
export function pollGauge(url: string, name: string, everyMs: number) {
  const values = new Histogram();
  const pattern = new RegExp(`^${name}(?:\\{[^}]*\\})? ([-0-9.e+]+)$`, 'm');
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const match = pattern.exec(await (await fetch(url)).text());
        if (match) values.record(Number(match[1]) * 1000);
      } catch {
        // A missed scrape is a missing sample, not a failure of the run.
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return values.summary();
    },
  };
}
