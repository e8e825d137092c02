'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc';
import { VehicleTypeForm } from './VehicleTypeForm';
import { VehicleTypeRow } from './VehicleTypeRow';

/** Vehicle types: what riders choose from. Fares are on the Pricing tab. */
export function VehicleTypesPanel() {
  const trpc = useTRPC();
  const types = useQuery(trpc.admin.vehicleTypes.list.queryOptions());
  const [creating, setCreating] = useState(false);
  return (
    <section className="card" data-testid="admin-vehicle-types">
      <div className="admin-head">
        <h1>Vehicle types</h1>
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          New vehicle type
        </button>
      </div>
      {creating ? <VehicleTypeForm onDone={() => setCreating(false)} /> : null}
      {types.error ? <p className="error">{types.error.message}</p> : null}
      <ul style={{ listStyle: 'none', padding: 0, display: 'grid', gap: 10 }}>
        {types.data?.map((t) => (
          // Keyed by the saved values too, so the inputs show what was saved after a change.
          <VehicleTypeRow key={`${t.id}:${t.name}:${t.seats}:${t.active}`} type={t} />
        ))}
      </ul>
    </section>
  );
}
