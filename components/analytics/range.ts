import { analyticsLimits } from '@/domain/analytics/range';

/**
 * The dashboard's date range: whole local days, [first day 00:00, day after the last 00:00), sent
 * as ISO instants. The server widens them to whole UTC hours and answers with what it used.
 */
export interface DayRange {
  /** YYYY-MM-DD, local. */
  first: string;
  last: string;
}

/** The server's own limits, so the picker never offers a range the API refuses. */
export const { maxRangeDays, maxHourlyDays } = analyticsLimits;

const pad = (n: number) => String(n).padStart(2, '0');
export const dayString = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

function startOf(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

export function lastDays(days: number, today = new Date()): DayRange {
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { first: dayString(first), last: dayString(today) };
}

export function toInstants(range: DayRange): { from: string; to: string } {
  const end = startOf(range.last);
  end.setDate(end.getDate() + 1);
  return { from: startOf(range.first).toISOString(), to: end.toISOString() };
}

export function daysIn(range: DayRange): number {
  const { from, to } = toInstants(range);
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** What is wrong with a range before asking the server, in the words the server would use. */
export function rangeProblem(range: DayRange): string | null {
  if (!range.first || !range.last) return 'Choose both days';
  if (range.last < range.first) return 'The last day must not be before the first';
  if (daysIn(range) > maxRangeDays) return `A range can cover at most ${maxRangeDays} days`;
  return null;
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
