'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { type RouterOutputs, useTRPC } from '../trpc';
import { formatMoney } from '../ui/format';
import { AdminForm, FormActions, SavedNote } from './AdminForm';
import { FareInputs, type FareText } from './FareInputs';
import { formErrors } from './form-errors';
import { fareMinor, fareText } from './numbers';
import { useRefreshAdmin } from './use-admin-cache';

type VehicleType = RouterOutputs['admin']['vehicleTypes']['list'][number];

/** One type's fare table. The next quote for the type uses what is saved here. */
export function FareTableForm({ type }: { type: VehicleType & { fare: NonNullable<VehicleType['fare']> } }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const [fare, setFare] = useState<FareText>(fareText(type.fare));
  // Success is cleared by the next submit (the mutation is pending again), so "Saved" never lingers.
  const update = useMutation(
    trpc.admin.settings.updateFare.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const errors = formErrors(update.error);

  return (
    <AdminForm
      label={`Fare for ${type.name}`}
      testId={`fare-form-${type.id}`}
      head={
        <div className="admin-head" style={{ gridColumn: '1 / -1' }}>
          <h2>
            {type.name} <small className="muted">{type.id}</small>
          </h2>
          <span className="muted">
            Now: {formatMoney(type.fare.baseFare)} + {formatMoney(type.fare.perKm)}/km +{' '}
            {formatMoney(type.fare.perMinute)}/min, at least {formatMoney(type.fare.minimumFare)}, fee{' '}
            {formatMoney(type.fare.bookingFee)}
          </span>
        </div>
      }
      errors={errors}
      onSubmit={() => update.mutate({ vehicleTypeId: type.id, fare: fareMinor(fare) })}
    >
      <FareInputs value={fare} onChange={setFare} errors={errors} />
      <FormActions submit="Save fare" disabled={update.isPending}>
        {update.isSuccess ? <SavedNote testId="fare-saved">Saved: the next quote uses it.</SavedNote> : null}
      </FormActions>
    </AdminForm>
  );
}
