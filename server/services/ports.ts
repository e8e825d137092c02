import type { LiveIndex } from '../adapters/live-index';
import type { Logger } from '../infra/logger';
import type { Database } from '../infra/postgres';

/** Time comes in as a port so use cases and tests control it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface CoreDeps {
  db: Database;
  liveIndex: LiveIndex;
  clock: Clock;
  logger: Logger;
}
