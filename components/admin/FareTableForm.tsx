'use client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type RouterOutputs, useTRPC } from '../trpc';
import { formatMoney } from '../ui/format';
import { FareInputs, type FareText } from './FareInputs';
import { FormError } from './Field';
import { formErrors } from './form-errors';
import { farePaise, fareText } from './numbers';
import { useRefreshAdmin } from './use-admin-cache';

type VehicleType = RouterOutputs['admin']['vehicleTypes']['list'][number];

/** One type's fare table. The next quote for the type uses what is saved here. */
export function FareTableForm({ type }: { type: VehicleType & { fare: NonNullable<VehicleType['fare']> } }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const [fare, setFare] = useState<FareText>(fareText(type.fare));
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.admin.settings.updateFare.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void refresh();
      },
    }),
  );
  const errors = formErrors(update.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    update.mutate({ vehicleTypeId: type.id, fare: farePaise(fare) });
  }

  return (
    <form
      className="admin-form card"
      onSubmit={submit}
      noValidate
      data-testid={`fare-form-${type.id}`}
      aria-label={`Fare for ${type.name}`}
    >
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
      <FormError errors={errors} />
      <FareInputs value={fare} onChange={setFare} errors={errors} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={update.isPending}>
          Save fare
        </button>
        {saved ? (
          <span role="status" className="muted" data-testid="fare-saved">
            Saved: the next quote uses it.
          </span>
        ) : null}
      </div>
    </form>
  );
}
