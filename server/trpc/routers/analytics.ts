import { driversPageSchema, rangeSchema, seriesSchema } from '@/domain/analytics/range';
import { analyticsCells } from '../../services/analytics/query-cells';
import { analyticsDrivers } from '../../services/analytics/query-drivers';
import { analyticsSeries } from '../../services/analytics/query-series';
import { analyticsSummary } from '../../services/analytics/query-summary';
import { roleProcedure, router } from '../init';

/**
 * Admins only: revenue and per-driver performance are business and HR data. Dispatchers have the
 * live board for operations; they can be added here if they need the history.
 */
const analyticsProcedure = roleProcedure('admin');

export const analyticsRouter = router({
  /** Headline numbers for a date range (≤ 92 days). */
  summary: analyticsProcedure
    .input(rangeSchema)
    .query(({ ctx, input }) => analyticsSummary(ctx.deps.postgres.pool, input, ctx.deps.clock.now())),

  /** Per hour (≤ 31 days) or per day of a time zone. */
  series: analyticsProcedure
    .input(seriesSchema)
    .query(({ ctx, input }) => analyticsSeries(ctx.deps.postgres.pool, input, ctx.deps.clock.now())),

  /** Demand and supply per H3 res-7 cell, for the heatmap. */
  cells: analyticsProcedure
    .input(rangeSchema)
    .query(({ ctx, input }) => analyticsCells(ctx.deps.postgres.pool, input)),

  /** The fairness table, one page (≤ 100 rows). */
  drivers: analyticsProcedure
    .input(driversPageSchema)
    .query(({ ctx, input }) => analyticsDrivers(ctx.deps.postgres.pool, input, ctx.deps.clock.now())),
});
