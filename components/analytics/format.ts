import { formatMoney } from '../ui/format';

export const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** "42 s", "3 min 5 s": durations of seconds to minutes, as dispatch talks about them. */
export function seconds(s: number | null): string {
  if (s === null) return '—';
  if (s < 90) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export const hours = (h: number) => `${h.toFixed(1)} h`;
export const rate = (r: number | null) => (r === null ? '—' : r.toFixed(2));

export function money(byCurrency: { currency: string; amount: number }[]): string {
  if (byCurrency.length === 0) return formatMoney(0);
  return byCurrency.map((c) => formatMoney(c.amount, c.currency)).join(' + ');
}
