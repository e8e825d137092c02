import type pg from 'pg';
import type { SurgeStore } from '@/server/adapters/surge-store';
import type { Logger } from '@/server/infra/logger';
import { sampleSupply } from '@/server/services/analytics/sample-supply';
import type { Clock } from '@/server/services/ports';

/**
 * Once a minute, the supply per cell that realtime keeps in the surge store goes into the 5-minute
 * supply rollup. Every workers process samples; the per-minute bit makes the extra samples no-ops,
 * so no leader election is needed. Reading one Redis hash a minute costs nothing on the hot path.
 */
export function startSupplySampler(deps: {
  pool: pg.Pool;
  surge: Pick<SurgeStore, 'supply'>;
  clock: Clock;
  logger: Logger;
  everyMs?: number;
}) {
  let inFlight: Promise<unknown> = Promise.resolve();
  const tick = () => {
    inFlight = (async () => sampleSupply(deps.pool, await deps.surge.supply(), deps.clock.now()))().catch(
      (err: unknown) => deps.logger.warn({ err }, 'supply sample skipped'),
    );
  };
  tick();
  const timer = setInterval(tick, deps.everyMs ?? 60_000);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
