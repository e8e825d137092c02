'use client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../trpc';
import { FareInputs, type FareText } from './FareInputs';
import { Field, FormError } from './Field';
import { formErrors } from './form-errors';
import { farePaise, typedNumber } from './numbers';
import { useRefreshAdmin } from './use-admin-cache';

const emptyFare: FareText = { baseFare: '', perKm: '', perMinute: '', minimumFare: '', bookingFee: '' };

/** A new vehicle type with its fare table: both or neither (one transaction on the server). */
export function VehicleTypeForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [seats, setSeats] = useState('4');
  const [fare, setFare] = useState<FareText>(emptyFare);
  const create = useMutation(
    trpc.admin.vehicleTypes.create.mutationOptions({ onSuccess: () => void refresh().then(onDone) }),
  );
  const errors = formErrors(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ id, name, seats: typedNumber(seats), fare: farePaise(fare) });
  }

  return (
    <form
      className="admin-form card"
      onSubmit={submit}
      noValidate
      data-testid="vehicle-type-form"
      aria-label="New vehicle type"
    >
      <h2 style={{ gridColumn: '1 / -1', margin: 0 }}>New vehicle type</h2>
      <FormError errors={errors} />
      <Field
        label="Id"
        name="id"
        errors={errors}
        value={id}
        onChange={(e) => setId(e.target.value)}
        hint="Lower-case, permanent (e.g. ev-sedan)"
        autoComplete="off"
      />
      <Field
        label="Name"
        name="name"
        errors={errors}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <Field
        label="Seats"
        name="seats"
        errors={errors}
        inputMode="numeric"
        value={seats}
        onChange={(e) => setSeats(e.target.value)}
      />
      <FareInputs value={fare} onChange={setFare} errors={errors} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          Create type
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
