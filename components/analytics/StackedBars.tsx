'use client';
import { bucketLabel, compact, labelEvery, niceMax } from './chart-scale';

export interface BarSeries {
  key: string;
  label: string;
  color: string;
}

const width = 720;
const height = 220;
const pad = { left: 44, right: 8, top: 10, bottom: 26 };

/** Stacked bars per time bucket, drawn in plain SVG; each segment says its value on hover. */
export function StackedBars({
  title,
  buckets,
  series,
  granularity,
  format = compact,
  testId,
}: {
  title: string;
  buckets: { at: number; values: Record<string, number> }[];
  series: BarSeries[];
  granularity: 'hour' | 'day';
  format?: (n: number) => string;
  testId?: string;
}) {
  const totals = buckets.map((b) => series.reduce((sum, s) => sum + (b.values[s.key] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const slot = plotW / Math.max(1, buckets.length);
  const barW = Math.max(1, slot * 0.75);
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  const every = labelEvery(buckets.length);
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
        {buckets.map((b, i) => {
          let base = 0;
          const x = pad.left + i * slot + (slot - barW) / 2;
          return (
            <g key={b.at}>
              {series.map((s) => {
                const v = b.values[s.key] ?? 0;
                if (v <= 0) return null;
                const top = y(base + v);
                const rect = (
                  <rect key={s.key} x={x} y={top} width={barW} height={y(base) - top} fill={s.color}>
                    <title>{`${bucketLabel(b.at, granularity)} · ${s.label}: ${format(v)}`}</title>
                  </rect>
                );
                base += v;
                return rect;
              })}
              {i % every === 0 ? (
                <text x={x + barW / 2} y={height - 8} textAnchor="middle" className="tick">
                  {bucketLabel(b.at, granularity)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <Legend series={series} />
    </figure>
  );
}

export function Legend({ series }: { series: BarSeries[] }) {
  return (
    <ul className="legend">
      {series.map((s) => (
        <li key={s.key}>
          <span className="swatch" style={{ background: s.color }} /> {s.label}
        </li>
      ))}
    </ul>
  );
}
