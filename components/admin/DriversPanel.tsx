'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type RouterOutputs, useTRPC } from '../trpc';
import { words } from '../ui/format';
import type { Column } from './DataTable';
import { DriverDetail } from './DriverDetail';
import { type DocumentStatus, documentStatusOptions } from './document-status';
import { FilteredTable } from './FilteredTable';
import { OnboardDriverForm } from './OnboardDriverForm';
import { Pill } from './Pill';
import { nameColumns } from './person-columns';
import { keepPage, useTableState } from './use-table-state';

type Driver = RouterOutputs['admin']['drivers']['list']['rows'][number];
type SortKey = 'name' | 'email' | 'documentStatus' | 'status' | 'availability' | 'plate' | 'createdAt';

/** Drivers: onboarding, document checks, suspension; phones and licences only on demand. */
export function DriversPanel() {
  const trpc = useTRPC();
  const table = useTableState<SortKey>('name');
  const [documentStatus, setDocumentStatus] = useState<DocumentStatus | ''>('');
  const [onboarding, setOnboarding] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const list = useQuery(
    trpc.admin.drivers.list.queryOptions(
      { ...table.state, documentStatus: documentStatus || undefined },
      keepPage,
    ),
  );
  const selected = list.data?.rows.find((d) => d.id === selectedId) ?? null;

  const columns: Column<Driver, SortKey>[] = [
    ...nameColumns<Driver>(setSelectedId),
    {
      label: 'Documents',
      sort: 'documentStatus',
      cell: (d) => <Pill value={d.documentStatus} title={d.documentNote ?? undefined} />,
    },
    {
      label: 'Account',
      sort: 'status',
      cell: (d) => <Pill value={d.status} />,
    },
    {
      label: 'On duty',
      sort: 'availability',
      cell: (d) => (
        <span className="badge" data-state={d.availability}>
          {words(d.availability)}
        </span>
      ),
    },
    { label: 'Vehicle', sort: 'plate', cell: (d) => d.plate ?? <span className="muted">—</span> },
  ];

  return (
    <section className="admin-columns" data-testid="admin-drivers">
      <div className="card">
        <div className="admin-head">
          <h1>Drivers</h1>
          <button type="button" className="button primary" onClick={() => setOnboarding(true)}>
            Onboard a driver
          </button>
        </div>
        {onboarding ? (
          <OnboardDriverForm
            onDone={(id) => {
              setOnboarding(false);
              if (id) setSelectedId(id);
            }}
          />
        ) : null}
        <FilteredTable
          searchPlaceholder="Search name, e-mail or plate"
          filter={{
            label: 'Documents',
            any: 'Any documents',
            value: documentStatus,
            onChange: setDocumentStatus,
            options: documentStatusOptions,
          }}
          testId="drivers-table"
          columns={columns}
          empty="No driver matches."
          table={table}
          list={list}
        />
      </div>
      {selected ? (
        <DriverDetail key={selected.id} driver={selected} onClose={() => setSelectedId(null)} />
      ) : null}
    </section>
  );
}
