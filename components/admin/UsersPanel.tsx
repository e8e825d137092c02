'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type Role, roles } from '@/domain/roles';
import { type RouterOutputs, useTRPC } from '../trpc';
import { AccountStatus } from './AccountStatus';
import { type Column, PagedTable, SearchBox } from './DataTable';
import { DetailCard } from './DetailCard';
import { FilterSelect } from './FilterSelect';
import { Pill } from './Pill';
import { UserAccess } from './UserAccess';
import { keepPage, useTableState } from './use-table-state';

type Account = RouterOutputs['admin']['users']['list']['rows'][number];
type SortKey = 'name' | 'email' | 'role' | 'status' | 'createdAt';

/** Every account: role changes, password resets, suspension. */
export function UsersPanel() {
  const trpc = useTRPC();
  const table = useTableState<SortKey>('name');
  const [role, setRole] = useState<Role | ''>('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const list = useQuery(
    trpc.admin.users.list.queryOptions({ ...table.state, role: role || undefined }, keepPage),
  );
  const selected = list.data?.rows.find((u) => u.id === selectedId) ?? null;

  const columns: Column<Account, SortKey>[] = [
    {
      label: 'Name',
      sort: 'name',
      cell: (u) => (
        <button type="button" className="link-button dark" onClick={() => setSelectedId(u.id)}>
          {u.name}
        </button>
      ),
    },
    { label: 'E-mail', sort: 'email', cell: (u) => u.email },
    { label: 'Role', sort: 'role', cell: (u) => u.role },
    {
      label: 'Account',
      sort: 'status',
      cell: (u) => <Pill value={u.status} />,
    },
    { label: 'Created', sort: 'createdAt', cell: (u) => new Date(u.createdAt).toLocaleDateString('en-IN') },
  ];

  return (
    <section className="admin-columns" data-testid="admin-users">
      <div className="card">
        <h1>Accounts</h1>
        <div className="admin-toolbar">
          <SearchBox value={table.typed} onChange={table.setTyped} placeholder="Search name or e-mail" />
          <FilterSelect
            label="Role"
            any="Any role"
            value={role}
            onChange={setRole}
            options={roles.map((r) => ({ value: r, label: r }))}
          />
        </div>
        <PagedTable
          testId="users-table"
          columns={columns}
          rowKey={(u) => u.id}
          empty="No account matches."
          table={table}
          list={list}
        />
      </div>
      {selected ? (
        <DetailCard
          key={selected.id}
          title={selected.name}
          onClose={() => setSelectedId(null)}
          data-testid="user-detail"
        >
          <p className="muted">{selected.email}</p>
          <UserAccess key={`${selected.id}:${selected.role}`} user={selected} />
          <div style={{ marginTop: 12 }}>
            <AccountStatus user={selected} />
          </div>
        </DetailCard>
      ) : null}
    </section>
  );
}
