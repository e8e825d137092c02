'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type RouterOutputs, useTRPC } from '../trpc';
import { type Column, DataTable, Pager, SearchBox } from './DataTable';
import { RiderDetail } from './RiderDetail';
import { keepPage, useTableState } from './use-table-state';

type Rider = RouterOutputs['admin']['riders']['list']['rows'][number];
type SortKey = 'name' | 'email' | 'role' | 'status' | 'createdAt';

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
      cell: (r) => (
        <span className="pill" data-value={r.status}>
          {r.status === 'suspended' ? 'blocked' : r.status}
        </span>
      ),
    },
    { label: 'Joined', sort: 'createdAt', cell: (r) => new Date(r.createdAt).toLocaleDateString('en-IN') },
  ];

  return (
    <section className="admin-columns" data-testid="admin-riders">
      <div className="card">
        <h1>Riders</h1>
        <div className="admin-toolbar">
          <SearchBox value={table.typed} onChange={table.setTyped} placeholder="Search name or e-mail" />
          <select
            aria-label="Account"
            value={status}
            onChange={(e) => setStatus(e.target.value as 'active' | 'suspended' | '')}
          >
            <option value="">Any account</option>
            <option value="active">Active</option>
            <option value="suspended">Blocked</option>
          </select>
        </div>
        <DataTable
          testId="riders-table"
          columns={columns}
          rows={list.data?.rows}
          rowKey={(r) => r.id}
          sort={table.state.sort}
          dir={table.state.dir}
          onSort={table.sortBy}
          loading={list.isFetching}
          error={list.error ? list.error.message : null}
          empty="No rider matches."
        />
        <Pager
          page={table.state.page}
          pageSize={table.state.pageSize}
          total={list.data?.total}
          onPage={table.setPage}
        />
      </div>
      {selected ? <RiderDetail key={selected} userId={selected} onClose={() => setSelected(null)} /> : null}
    </section>
  );
}
