'use client';
import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useMemo, useState } from 'react';
import { useTRPC } from '../trpc';
import { humanError } from '../ui/human-error';
import type { HeatMetric } from './CellHeatmap';
import { DateRangePicker } from './DateRangePicker';
import { ExportLinks } from './ExportLinks';
import { FairnessTable } from './FairnessTable';
import { browserTimeZone, type DayRange, daysIn, lastDays, maxHourlyDays, toInstants } from './range';
import { SeriesCharts } from './SeriesCharts';
import { SummaryCards } from './SummaryCards';
import './analytics.css';

const CellHeatmap = dynamic(() => import('./CellHeatmap').then((m) => m.CellHeatmap), {
  ssr: false,
  loading: () => <p className="muted">Loading map…</p>,
});

/** Numbers are re-read this often: the rollups follow Kafka within a second or two. */
const refreshMs = 10_000;

const metrics: [HeatMetric, string][] = [
  ['requests', 'Demand (requests)'],
  ['unserved', 'Unserved (no driver found)'],
  ['avgSupply', 'Supply (available drivers, average)'],
];

/** The admin analytics dashboard: a date range, headline numbers, charts, heatmap, fairness, CSV. */
export function AnalyticsDashboard() {
  const trpc = useTRPC();
  const [days, setDays] = useState<DayRange>(() => lastDays(1));
  const [granularity, setGranularity] = useState<'hour' | 'day'>('hour');
  const [metric, setMetric] = useState<HeatMetric>('requests');
  const range = useMemo(() => toInstants(days), [days]);
  const timeZone = useMemo(browserTimeZone, []);
  // Hourly series are limited (≤ 31 days); longer ranges fall back to days.
  const effective = daysIn(days) > maxHourlyDays ? 'day' : granularity;
  const live = { refetchInterval: refreshMs, placeholderData: <T,>(previous: T) => previous };
  const summary = useQuery({ ...trpc.analytics.summary.queryOptions(range), ...live });
  const series = useQuery({
    ...trpc.analytics.series.queryOptions({ range, granularity: effective, timeZone }),
    ...live,
  });
  const cells = useQuery({ ...trpc.analytics.cells.queryOptions(range), ...live });
  const error = summary.error ?? series.error ?? cells.error;

  return (
    <div className="analytics" data-testid="analytics">
      <header className="analytics-head">
        <h1>Analytics</h1>
        <DateRangePicker value={days} onChange={setDays} />
        <label>
          Per{' '}
          <select value={effective} onChange={(e) => setGranularity(e.target.value as 'hour' | 'day')}>
            <option value="hour" disabled={daysIn(days) > maxHourlyDays}>
              hour
            </option>
            <option value="day">day</option>
          </select>
        </label>
        <span className="muted live" data-testid="analytics-updated">
          {summary.dataUpdatedAt
            ? `Live · updated ${new Date(summary.dataUpdatedAt).toLocaleTimeString('en-IN', { hour12: false })}`
            : 'Loading…'}
        </span>
      </header>
      {error ? (
        <p className="error" role="alert">
          {humanError(error).message}
        </p>
      ) : null}
      {summary.data ? <SummaryCards s={summary.data} /> : null}
      {series.data ? <SeriesCharts series={series.data} /> : null}
      <section className="card" data-testid="cells">
        <div className="section-head">
          <h2>Demand and supply by area</h2>
          <select
            aria-label="Heatmap metric"
            value={metric}
            onChange={(e) => setMetric(e.target.value as HeatMetric)}
          >
            {metrics.map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <p className="muted">
          {cells.data
            ? `${cells.data.cells.length} areas (H3 res-7)${cells.data.truncated ? ', the busiest shown' : ''} · supply from ${cells.data.samples} sampled minute${cells.data.samples === 1 ? '' : 's'}`
            : ' '}
        </p>
        <CellHeatmap cells={cells.data?.cells ?? []} metric={metric} />
      </section>
      <FairnessTable range={range} refreshMs={refreshMs} />
      <ExportLinks range={range} granularity={effective} timeZone={timeZone} />
    </div>
  );
}
