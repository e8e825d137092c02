'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc';
import { AdminForm, CancelButton, FormActions } from './AdminForm';
import { FareInputs, type FareText } from './FareInputs';
import { Field } from './Field';
import { formErrors } from './form-errors';
import { fareMinor, typedNumber } from './numbers';
import { useRefreshAdmin } from './use-admin-cache';
import { useFields } from './use-fields';

const emptyFare: FareText = { baseFare: '', perKm: '', perMinute: '', minimumFare: '', bookingFee: '' };

/** A new vehicle type with its fare table: both or neither (one transaction on the server). */
export function VehicleTypeForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const { values, bind } = useFields({ id: '', name: '', seats: '4' });
  const [fare, setFare] = useState<FareText>(emptyFare);
  const create = useMutation(
    trpc.admin.vehicleTypes.create.mutationOptions({ onSuccess: () => void refresh().then(onDone) }),
  );
  const errors = formErrors(create.error);

  return (
    <AdminForm
      label="New vehicle type"
      testId="vehicle-type-form"
      errors={errors}
      onSubmit={() => create.mutate({ ...values, seats: typedNumber(values.seats), fare: fareMinor(fare) })}
    >
      <Field
        label="Id"
        errors={errors}
        {...bind('id')}
        hint="Lower-case, permanent (e.g. ev-sedan)"
        autoComplete="off"
      />
      <Field label="Name" errors={errors} {...bind('name')} />
      <Field label="Seats" errors={errors} inputMode="numeric" {...bind('seats')} />
      <FareInputs value={fare} onChange={setFare} errors={errors} />
      <FormActions submit="Create type" disabled={create.isPending}>
        <CancelButton onClick={onDone} />
      </FormActions>
    </AdminForm>
  );
}
