import type { LiveIndex, NearestQuery, NearestResult } from '../adapters/live-index';
import type { Logger } from '../infra/logger';
import type { Database } from '../infra/postgres';

/** Time comes in as a port so use cases and tests control it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Answers "the k nearest available drivers of a type", exactly (the oracle's answer). */
export interface NearestSource {
  nearest(query: NearestQuery): NearestResult | Promise<NearestResult>;
}

export interface CoreDeps {
  db: Database;
  liveIndex: LiveIndex;
  /**
   * Where nearest-driver questions go: the in-memory index of a dispatching process (ADR 0018).
   * Without one the Redis live index answers (scripts, tests of other features).
   */
  nearest?: NearestSource;
  clock: Clock;
  logger: Logger;
}
