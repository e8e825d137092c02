'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type RouterInputs, useTRPC } from '../trpc';
import { humanError } from '../ui/human-error';
import { hours, percent, rate } from './format';

type Sort = NonNullable<RouterInputs['analytics']['drivers']['sort']>;
const pageSize = 25;
const columns: [Sort | null, string][] = [
  [null, 'Driver'],
  ['online', 'Online'],
  ['utilisation', 'Utilisation'],
  ['offers', 'Offers'],
  ['offersPerHour', 'Offers / online h'],
  [null, 'Accepted · declined · expired'],
  ['trips', 'Trips'],
];

/** Fairness across drivers: who gets how many offers for the time they are online. Paged. */
export function FairnessTable({
  range,
  refreshMs,
}: {
  range: { from: string; to: string };
  refreshMs: number;
}) {
  const trpc = useTRPC();
  // A new range starts again at page 1 (its previous page may not exist there). Adjusted while
  // rendering (React's pattern for state that follows a prop), so no request for a stale page.
  const rangeKey = `${range.from}/${range.to}`;
  const [paging, setPaging] = useState({ rangeKey, page: 1 });
  if (paging.rangeKey !== rangeKey) setPaging({ rangeKey, page: 1 });
  const page = paging.rangeKey === rangeKey ? paging.page : 1;
  const setPage = (next: number) => setPaging({ rangeKey, page: next });
  const [sort, setSort] = useState<Sort>('offersPerHour');
  const [direction, setDirection] = useState<'asc' | 'desc'>('desc');
  const drivers = useQuery({
    ...trpc.analytics.drivers.queryOptions({ range, page, pageSize, sort, direction }),
    refetchInterval: refreshMs,
    placeholderData: (previous) => previous,
  });
  const data = drivers.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / pageSize)) : 1;
  const sortBy = (key: Sort) => {
    if (key === sort) setDirection(direction === 'desc' ? 'asc' : 'desc');
    else {
      setSort(key);
      setDirection('desc');
    }
    setPage(1);
  };
  return (
    <section className="card" data-testid="fairness">
      <h2>Fairness across drivers</h2>
      {drivers.error ? <p className="error">{humanError(drivers.error).message}</p> : null}
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr>
              {columns.map(([key, label]) => (
                <th
                  key={label}
                  aria-sort={key === sort ? (direction === 'desc' ? 'descending' : 'ascending') : undefined}
                >
                  {key ? (
                    <button type="button" className="sort-button" onClick={() => sortBy(key)}>
                      {label}
                      {key === sort ? (direction === 'desc' ? ' ▼' : ' ▲') : ''}
                    </button>
                  ) : (
                    label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data?.drivers.map((d) => (
              <tr key={d.driverId} data-testid={`fairness-${d.driverId}`}>
                <td>{d.name ?? d.driverId.slice(0, 8)}</td>
                <td>{hours(d.onlineHours)}</td>
                <td>{percent(d.utilisation)}</td>
                <td>{d.offers}</td>
                <td>{rate(d.offersPerOnlineHour)}</td>
                <td>
                  {d.accepted} · {d.declined} · {d.expired}
                </td>
                <td>{d.trips}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && data.total === 0 ? <p className="muted">No driver was online in this range.</p> : null}
      <div className="pager">
        <button type="button" className="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          ← Previous
        </button>
        <span className="muted">
          Page {page} of {pages} · {data?.total ?? 0} drivers
        </span>
        <button type="button" className="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          Next →
        </button>
      </div>
    </section>
  );
}
