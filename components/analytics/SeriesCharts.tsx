'use client';
import { currency as cityCurrency } from '@/domain/money';
import type { RouterOutputs } from '../trpc';
import { formatMoney } from '../ui/format';
import { LineChart } from './LineChart';
import { StackedBars } from './StackedBars';

type Series = RouterOutputs['analytics']['series'];

const statusSeries = [
  { key: 'completed', label: 'Completed', color: '#16a34a' },
  { key: 'cancelled', label: 'Cancelled', color: '#dc2626' },
  { key: 'no_driver_found', label: 'No driver', color: '#94a3b8' },
  { key: 'open', label: 'Under way or scheduled', color: '#2563eb' },
];

/** The time series: bookings by status, assignment times, pickup promises, revenue, utilisation. */
export function SeriesCharts({ series }: { series: Series }) {
  const g = series.granularity;
  const at = series.buckets.map((b) => b.at);
  const currency = series.currencies[0] ?? cityCurrency;
  return (
    <div className="charts">
      <StackedBars
        title={`Bookings per ${g} by status`}
        testId="chart-bookings"
        granularity={g}
        series={statusSeries}
        buckets={series.buckets.map((b) => ({
          at: b.at,
          values: {
            completed: b.completed,
            cancelled: b.cancelled,
            no_driver_found: b.noDriverFound,
            open: b.made - b.completed - b.cancelled - b.noDriverFound,
          },
        }))}
      />
      <LineChart
        title="Time to assign (s)"
        testId="chart-assign"
        granularity={g}
        at={at}
        series={[
          { key: 'p50', label: 'p50', color: '#2563eb', values: series.buckets.map((b) => b.assignP50S) },
          { key: 'p90', label: 'p90', color: '#f59e0b', values: series.buckets.map((b) => b.assignP90S) },
        ]}
      />
      <LineChart
        title="Pickup: promised vs actual (s, average)"
        testId="chart-eta"
        granularity={g}
        at={at}
        series={[
          {
            key: 'promised',
            label: 'Promised',
            color: '#64748b',
            values: series.buckets.map((b) => b.promisedEtaAvgS),
          },
          {
            key: 'actual',
            label: 'Actual',
            color: '#7c3aed',
            values: series.buckets.map((b) => b.actualPickupAvgS),
          },
        ]}
      />
      <StackedBars
        title={`Revenue per ${g} (${currency})`}
        testId="chart-revenue"
        granularity={g}
        format={(n) => formatMoney(n, currency)}
        series={[
          { key: 'fares', label: 'Fares', color: '#0f766e' },
          { key: 'fees', label: 'Cancellation fees', color: '#d97706' },
        ]}
        buckets={series.buckets.map((b) => ({
          at: b.at,
          values: { fares: b.fares[currency] ?? 0, fees: b.fees[currency] ?? 0 },
        }))}
      />
      <LineChart
        title="Driver utilisation (% of online time on trip)"
        testId="chart-utilisation"
        granularity={g}
        at={at}
        format={(n) => `${Math.round(n)}%`}
        series={[
          {
            key: 'utilisation',
            label: 'Utilisation',
            color: '#7c3aed',
            values: series.buckets.map((b) => (b.utilisation === null ? null : b.utilisation * 100)),
          },
        ]}
      />
    </div>
  );
}
