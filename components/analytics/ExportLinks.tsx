'use client';
import { demoCity } from '@/domain/city';

const datasets: [string, string][] = [
  ['series', 'Time series'],
  ['drivers', 'Drivers (fairness)'],
  ['cells', 'Areas: totals'],
  ['cell-buckets', 'Areas per 5 minutes'],
  ['cancellations', 'Cancellations'],
];

/** CSV downloads of the same range; the route checks the session and the admin role itself. */
export function ExportLinks({
  range,
  granularity,
  timeZone,
}: {
  range: { from: string; to: string };
  granularity: 'hour' | 'day';
  timeZone: string;
}) {
  const href = (dataset: string) =>
    `/api/analytics/export?${new URLSearchParams({ dataset, ...range, granularity, timeZone })}`;
  return (
    <section className="card" data-testid="exports">
      <h2>Download CSV</h2>
      <p className="muted">
        Money in minor units ({demoCity.money.minorUnit} for {demoCity.money.currency}), times in UTC; at most
        100,000 rows per file.
      </p>
      <ul className="exports">
        {datasets.map(([dataset, label]) => (
          <li key={dataset}>
            <a href={href(dataset)} download data-testid={`export-${dataset}`}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
