import type { Logger } from '../infra/logger';
import type { Clock } from '../services/ports';
import type { FleetView } from './fleet-view';

/**
 * Surge needs supply per cell; this instance's fleet view has it (every instance's does), so
 * every 10 s the available drivers per res-7 cell are published. Returns the stop function.
 */
export function startSupplyPublisher(deps: {
  fleet: FleetView;
  clock: Clock;
  staleAfterMs: number;
  publish: (supply: Map<string, number>) => Promise<void>;
  logger: Logger;
}): () => void {
  const timer = setInterval(() => {
    const supply = new Map<string, number>();
    for (const c of deps.fleet.density(deps.clock.now(), deps.staleAfterMs))
      if (c.available > 0) supply.set(c.cell, c.available);
    deps.publish(supply).catch((err: unknown) => deps.logger.warn({ err }, 'surge supply not published'));
  }, 10_000);
  return () => clearInterval(timer);
}
