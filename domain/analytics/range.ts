import { z } from 'zod';
import { hourMs } from './time-buckets';

/** Every limit of the analytics API in one place (the dashboard and the CSV export show them). */
export const analyticsLimits = {
  /** Longest date range any query or export covers. */
  maxRangeDays: 92,
  /** Hourly series longer than this are refused: ask for days. */
  maxHourlyDays: 31,
  /** Heatmap cells returned, the busiest first. */
  maxCells: 5_000,
  /** Driver fairness table page size. */
  maxPageSize: 100,
  /** Rows in one CSV file; a bigger export is refused with a hint to narrow the range. */
  maxCsvRows: 100_000,
} as const;

const dayMs = 24 * hourMs;
/**
 * Widening to whole hours adds under an hour at each end, and a local range over an autumn clock
 * change is an hour longer: a range the dashboard offers must not be refused for that.
 */
const widenedSlackMs = 3 * hourMs;
/** The last whole hour PostgreSQL reads back from an ISO string (9999-12-31T23:00Z). */
const lastHourMs = 253_402_297_200_000;
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A date range [from, to), widened to whole UTC hours (the rollups' grain; in zones with
 * half-hour offsets a local midnight falls mid-hour, so such a day starts half an hour early).
 */
export const rangeSchema = z
  .object({ from: instant, to: instant })
  .transform((r) => ({
    from: Math.floor(Date.parse(r.from) / hourMs) * hourMs,
    to: Math.ceil(Date.parse(r.to) / hourMs) * hourMs,
  }))
  .refine((r) => r.from >= 0, { error: 'must be in 1970 or later', path: ['from'] })
  .refine((r) => r.to <= lastHourMs, { error: 'must be before the year 10000', path: ['to'] })
  .refine((r) => r.to > r.from, { error: 'must be after from', path: ['to'] })
  .refine((r) => r.to - r.from <= analyticsLimits.maxRangeDays * dayMs + widenedSlackMs, {
    error: `the range can cover at most ${analyticsLimits.maxRangeDays} days`,
    path: ['to'],
  });
export type AnalyticsRange = z.output<typeof rangeSchema>;

export const seriesSchema = z
  .object({
    range: rangeSchema,
    granularity: z.enum(['hour', 'day']),
    /** IANA zone whose days the daily series uses. */
    timeZone: z
      .string()
      .regex(/^[A-Za-z0-9/_+-]{1,64}$/, { error: 'is not a time zone name' })
      .refine(isTimeZone, { error: 'is not a known time zone' })
      .default('UTC'),
  })
  .refine(
    (s) =>
      s.granularity === 'day' ||
      s.range.to - s.range.from <= analyticsLimits.maxHourlyDays * dayMs + widenedSlackMs,
    {
      error: `an hourly series covers at most ${analyticsLimits.maxHourlyDays} days; choose day`,
      path: ['granularity'],
    },
  );
export type SeriesInput = z.output<typeof seriesSchema>;

export const driverSorts = ['offersPerHour', 'utilisation', 'online', 'offers', 'trips'] as const;

export const driversPageSchema = z.object({
  range: rangeSchema,
  page: z.int().min(1).max(10_000).default(1),
  pageSize: z.int().min(1).max(analyticsLimits.maxPageSize).default(25),
  sort: z.enum(driverSorts).default('offersPerHour'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});
export type DriversPageInput = z.output<typeof driversPageSchema>;

export const exportDatasets = ['series', 'drivers', 'cells', 'cell-buckets', 'cancellations'] as const;
