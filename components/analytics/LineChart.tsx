'use client';
import { bucketLabel, compact, labelEvery, niceMax } from './chart-scale';
import { type BarSeries, Legend } from './StackedBars';

const width = 720;
const height = 200;
const pad = { left: 44, right: 8, top: 10, bottom: 26 };

/** Lines per series over time buckets in plain SVG; a missing value (null) breaks the line. */
export function LineChart({
  title,
  at,
  series,
  granularity,
  format = compact,
  testId,
}: {
  title: string;
  at: number[];
  series: (BarSeries & { values: (number | null)[] })[];
  granularity: 'hour' | 'day';
  format?: (n: number) => string;
  testId?: string;
}) {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = niceMax(Math.max(0, ...all));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (i: number) => pad.left + (at.length <= 1 ? plotW / 2 : (i / (at.length - 1)) * plotW);
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  const every = labelEvery(at.length);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={pad.left} x2={width - pad.right} y1={y(max * f)} y2={y(max * f)} className="grid" />
            <text x={pad.left - 6} y={y(max * f) + 4} textAnchor="end" className="tick">
              {format(max * f)}
            </text>
          </g>
        ))}
        {at.map((t, i) =>
          i % every === 0 ? (
            <text key={t} x={x(i)} y={height - 8} textAnchor="middle" className="tick">
              {bucketLabel(t, granularity)}
            </text>
          ) : null,
        )}
        {series.map((s) => (
          <g key={s.key} stroke={s.color} fill={s.color}>
            {segments(s.values).map((seg) => (
              <polyline
                key={seg[0]}
                fill="none"
                strokeWidth={2}
                points={seg.map((i) => `${x(i)},${y(s.values[i]!)}`).join(' ')}
              />
            ))}
            {s.values.map((v, i) =>
              v === null ? null : (
                <circle key={at[i]} cx={x(i)} cy={y(v)} r={2.5}>
                  <title>{`${bucketLabel(at[i]!, granularity)} · ${s.label}: ${format(v)}`}</title>
                </circle>
              ),
            )}
          </g>
        ))}
      </svg>
      <Legend series={series} />
    </figure>
  );
}

/** Index runs of consecutive non-null values. */
function segments(values: (number | null)[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push(i);
  });
  if (run.length > 0) runs.push(run);
  return runs;
}
