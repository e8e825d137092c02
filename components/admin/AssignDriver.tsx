'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type RouterOutputs, useTRPC } from '../trpc';
import { SearchBox } from './DataTable';
import { FormError } from './Field';
import { formErrors } from './form-errors';
import { Pill } from './Pill';
import { useRefreshAdmin } from './use-admin-cache';
import { keepPage, useTableState } from './use-table-state';

type Vehicle = RouterOutputs['admin']['vehicles']['list']['rows'][number];

/** Picks a driver without a vehicle (searched by name or e-mail) and gives them this one. */
export function AssignDriver({ vehicle, onDone }: { vehicle: Vehicle; onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const table = useTableState<'name'>('name');
  const [driverId, setDriverId] = useState<string | null>(null);
  const candidates = useQuery(
    trpc.admin.drivers.list.queryOptions({ ...table.state, pageSize: 10, withoutVehicle: true }, keepPage),
  );
  const assign = useMutation(
    trpc.admin.vehicles.assign.mutationOptions({ onSuccess: () => void refresh().then(onDone) }),
  );
  const errors = formErrors(assign.error);
  return (
    <section className="card" data-testid="assign-driver" aria-label={`Assign ${vehicle.plate}`}>
      <h2>Assign {vehicle.plate}</h2>
      <p className="muted">
        Drivers without a vehicle. A driver has at most one; on-duty drivers cannot change vehicles.
      </p>
      <FormError errors={errors} />
      <SearchBox
        value={table.typed}
        onChange={table.setTyped}
        placeholder="Search drivers by name or e-mail"
      />
      <ul className="driver-list" style={{ maxHeight: 260 }}>
        {candidates.data?.rows.map((d) => (
          <li key={d.id}>
            <button type="button" aria-pressed={driverId === d.id} onClick={() => setDriverId(d.id)}>
              <span>
                {d.name} <small className="muted">{d.email}</small>
              </span>
              <Pill value={d.documentStatus} />
            </button>
          </li>
        ))}
      </ul>
      {candidates.data?.rows.length === 0 ? (
        <p className="muted">No driver without a vehicle matches.</p>
      ) : null}
      <div className="row-actions" style={{ marginTop: 10 }}>
        <button
          type="button"
          className="button primary"
          disabled={!driverId || assign.isPending}
          onClick={() => driverId && assign.mutate({ vehicleId: vehicle.id, driverId })}
        >
          Assign
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </section>
  );
}
