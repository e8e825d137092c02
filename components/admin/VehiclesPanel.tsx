'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { vehicleStatuses } from '@/domain/fleet';
import { type RouterOutputs, useTRPC } from '../trpc';
import { words } from '../ui/format';
import { AssignDriver } from './AssignDriver';
import type { Column } from './DataTable';
import { FilteredTable } from './FilteredTable';
import { Pill } from './Pill';
import { keepPage, useTableState } from './use-table-state';
import { VehicleActions } from './VehicleActions';
import { VehicleForm } from './VehicleForm';

type Vehicle = RouterOutputs['admin']['vehicles']['list']['rows'][number];
type SortKey = 'plate' | 'type' | 'status' | 'driver' | 'capacity' | 'createdAt';
type Status = (typeof vehicleStatuses)[number];
const statusOptions: readonly { value: Status; label: string }[] = [
  { value: 'active', label: 'Active' },
  { value: 'maintenance', label: 'Maintenance' },
  { value: 'retired', label: 'Retired' },
];
type Editor = { kind: 'create' } | { kind: 'edit' | 'assign'; vehicle: Vehicle } | null;

/** The fleet: every vehicle with its type, status and driver; register, edit, assign, retire. */
export function VehiclesPanel() {
  const trpc = useTRPC();
  const table = useTableState<SortKey>('plate');
  const [status, setStatus] = useState<Status | ''>('');
  const [editor, setEditor] = useState<Editor>(null);
  const list = useQuery(
    trpc.admin.vehicles.list.queryOptions({ ...table.state, status: status || undefined }, keepPage),
  );

  const columns: Column<Vehicle, SortKey>[] = [
    { label: 'Plate', sort: 'plate', cell: (v) => <strong>{v.plate}</strong> },
    { label: 'Type', sort: 'type', cell: (v) => v.vehicleType },
    { label: 'Vehicle', cell: (v) => `${v.color} ${v.make} ${v.model}` },
    { label: 'Seats', sort: 'capacity', cell: (v) => v.capacity },
    {
      label: 'Status',
      sort: 'status',
      cell: (v) => <Pill value={v.status} />,
    },
    {
      label: 'Driver',
      sort: 'driver',
      cell: (v) =>
        v.driverName ? (
          <>
            {v.driverName}{' '}
            {v.availability ? (
              <span className="badge" data-state={v.availability}>
                {words(v.availability)}
              </span>
            ) : null}
          </>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      label: 'Actions',
      cell: (v) => (
        <VehicleActions
          vehicle={v}
          onEdit={() => setEditor({ kind: 'edit', vehicle: v })}
          onAssign={() => setEditor({ kind: 'assign', vehicle: v })}
        />
      ),
    },
  ];

  return (
    <section className="card" data-testid="admin-fleet">
      <div className="admin-head">
        <h1>Vehicles</h1>
        <button type="button" className="button primary" onClick={() => setEditor({ kind: 'create' })}>
          New vehicle
        </button>
      </div>
      {editor?.kind === 'create' ? <VehicleForm onDone={() => setEditor(null)} /> : null}
      {editor?.kind === 'edit' ? (
        <VehicleForm key={editor.vehicle.id} vehicle={editor.vehicle} onDone={() => setEditor(null)} />
      ) : null}
      {editor?.kind === 'assign' ? (
        <AssignDriver key={editor.vehicle.id} vehicle={editor.vehicle} onDone={() => setEditor(null)} />
      ) : null}
      <FilteredTable
        searchPlaceholder="Search plate, make, model or driver"
        filter={{
          label: 'Status',
          any: 'Any status',
          value: status,
          onChange: setStatus,
          options: statusOptions,
        }}
        testId="vehicles-table"
        columns={columns}
        empty="No vehicle matches."
        table={table}
        list={list}
      />
    </section>
  );
}
