'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type RouterOutputs, useTRPC } from '../trpc';
import type { Column } from './DataTable';
import { FilteredTable } from './FilteredTable';
import { Pill } from './Pill';
import { createdColumn, nameColumns } from './person-columns';
import { RiderDetail } from './RiderDetail';
import { keepPage, useTableState } from './use-table-state';

type Rider = RouterOutputs['admin']['riders']['list']['rows'][number];
type SortKey = 'name' | 'email' | 'role' | 'status' | 'createdAt';
/** A suspended rider is "blocked" to admins. */
const accountOptions = [
  { value: 'active', label: 'Active' },
  { value: 'suspended', label: 'Blocked' },
] as const;

/** Riders: search, view (trips, phone on demand), block or unblock. */
export function RidersPanel() {
  const trpc = useTRPC();
  const table = useTableState<SortKey>('name');
  const [status, setStatus] = useState<'active' | 'suspended' | ''>('');
  const [selected, setSelected] = useState<string | null>(null);
  const list = useQuery(
    trpc.admin.riders.list.queryOptions({ ...table.state, status: status || undefined }, keepPage),
  );

  const columns: Column<Rider, SortKey>[] = [
    ...nameColumns<Rider>(setSelected),
    {
      label: 'Account',
      sort: 'status',
      cell: (r) => <Pill value={r.status}>{r.status === 'suspended' ? 'blocked' : r.status}</Pill>,
    },
    createdColumn('Joined'),
  ];

  return (
    <section className="admin-columns" data-testid="admin-riders">
      <div className="card">
        <h1>Riders</h1>
        <FilteredTable
          searchPlaceholder="Search name or e-mail"
          filter={{
            label: 'Account',
            any: 'Any account',
            value: status,
            onChange: setStatus,
            options: accountOptions,
          }}
          testId="riders-table"
          columns={columns}
          empty="No rider matches."
          table={table}
          list={list}
        />
      </div>
      {selected ? <RiderDetail key={selected} userId={selected} onClose={() => setSelected(null)} /> : null}
    </section>
  );
}
