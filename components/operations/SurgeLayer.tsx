'use client';
import type { CellSurge } from '@/domain/surge';

/** The surge toggle and the busiest cells: multiplier, demand and supply, and the reason riders see. */
export function SurgeLayer({
  cells,
  shown,
  error,
  onToggle,
}: {
  cells: CellSurge[];
  shown: boolean;
  error: string | null;
  onToggle: (shown: boolean) => void;
}) {
  const top = [...cells].sort((a, b) => b.multiplier - a.multiplier || b.demand - a.demand).slice(0, 5);
  return (
    <div data-testid="surge-layer">
      <label className="toggle">
        <input type="checkbox" checked={shown} onChange={(e) => onToggle(e.target.checked)} /> Surge by area
      </label>
      {shown ? (
        <>
          {error ? <p className="error">{error}</p> : null}
          <p className="muted" data-testid="surge-summary">
            {cells.length === 0
              ? 'No demand recorded in the last minutes.'
              : `${cells.length} ${cells.length === 1 ? 'area' : 'areas'} with demand · highest ×${top[0]!.multiplier.toFixed(1)}`}
          </p>
          <ul className="surge-list">
            {top.map((c) => (
              <li key={c.cell} data-cell={c.cell}>
                ×{c.multiplier.toFixed(1)} · {c.demand} requests / {c.supply} cars
                {c.reason ? <div className="muted">{c.reason}</div> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
