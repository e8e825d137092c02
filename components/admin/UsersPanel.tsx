'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type Role, roles } from '@/domain/roles';
import { type RouterOutputs, useTRPC } from '../trpc';
import { AccountStatus } from './AccountStatus';
import type { Column } from './DataTable';
import { DetailCard } from './DetailCard';
import { FilteredTable } from './FilteredTable';
import { Pill } from './Pill';
import { createdColumn, nameColumns } from './person-columns';
import { UserAccess } from './UserAccess';
import { keepPage, useTableState } from './use-table-state';

type Account = RouterOutputs['admin']['users']['list']['rows'][number];
type SortKey = 'name' | 'email' | 'role' | 'status' | 'createdAt';
const roleOptions = roles.map((r) => ({ value: r, label: r }));

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
    ...nameColumns<Account>(setSelectedId),
    { label: 'Role', sort: 'role', cell: (u) => u.role },
    {
      label: 'Account',
      sort: 'status',
      cell: (u) => <Pill value={u.status} />,
    },
    createdColumn('Created'),
  ];

  return (
    <section className="admin-columns" data-testid="admin-users">
      <div className="card">
        <h1>Accounts</h1>
        <FilteredTable
          searchPlaceholder="Search name or e-mail"
          filter={{ label: 'Role', any: 'Any role', value: role, onChange: setRole, options: roleOptions }}
          testId="users-table"
          columns={columns}
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
