'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';

/** The vehicle types riders can book, from the catalogue. */
export function VehicleChoice({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const trpc = useTRPC();
  const types = useQuery(trpc.catalog.vehicleTypes.queryOptions());
  if (types.error) return <p className="error">{types.error.message}</p>;
  return (
    <fieldset className="choice-row">
      <legend>Vehicle</legend>
      {(types.data ?? []).map((t) => (
        <label key={t.id} className="choice">
          <input
            type="radio"
            name="vehicle-type"
            value={t.id}
            checked={value === t.id}
            onChange={() => onChange(t.id)}
          />
          {t.name} <small className="muted">· {t.seats} seats</small>
        </label>
      ))}
    </fieldset>
  );
}
