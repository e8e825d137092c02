'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type RouterOutputs, useTRPC } from '../trpc';
import { type Column, PagedTable, SearchBox } from './DataTable';
import { FilterSelect } from './FilterSelect';
import { Pill } from './Pill';
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
    {
      label: 'Name',
      sort: 'name',
      cell: (r) => (
        <button type="button" className="link-button dark" onClick={() => setSelected(r.id)}>
          {r.name}
        </button>
      ),
    },
    { label: 'E-mail', sort: 'email', cell: (r) => r.email },
    {
      label: 'Account',
      sort: 'status',
      cell: (r) => <Pill value={r.status}>{r.status === 'suspended' ? 'blocked' : r.status}</Pill>,
    },
    { label: 'Joined', sort: 'createdAt', cell: (r) => new Date(r.createdAt).toLocaleDateString('en-IN') },
  ];

  return (
    <section className="admin-columns" data-testid="admin-riders">
      <div className="card">
        <h1>Riders</h1>
        <div className="admin-toolbar">
          <SearchBox value={table.typed} onChange={table.setTyped} placeholder="Search name or e-mail" />
          <FilterSelect
            label="Account"
            any="Any account"
            value={status}
            onChange={setStatus}
            options={accountOptions}
          />
        </div>
        <PagedTable
          testId="riders-table"
          columns={columns}
          rowKey={(r) => r.id}
          empty="No rider matches."
          table={table}
          list={list}
        />
      </div>
      {selected ? <RiderDetail key={selected} userId={selected} onClose={() => setSelected(null)} /> : null}
    </section>
  );
}
