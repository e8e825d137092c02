'use client';
import { useMutation } from '@tanstack/react-query';
import { type RouterOutputs, useTRPC } from '../trpc';
import { AdminForm, FormActions } from './AdminForm';
import { ConfirmButton } from './ConfirmButton';
import { Field, FormError } from './Field';
import { formErrors } from './form-errors';
import { typedNumber } from './numbers';
import { Pill } from './Pill';
import { useRefreshAdmin } from './use-admin-cache';
import { useFields } from './use-fields';

type VehicleType = RouterOutputs['admin']['vehicleTypes']['list'][number];

/**
 * One type: rename it, change its seats, retire it or bring it back. Name and seats are separate
 * forms with their own button, because each is its own audited change on the server: one Save
 * for both could apply the name and then refuse the seats, leaving half of what was typed saved.
 */
export function VehicleTypeRow({ type }: { type: VehicleType }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const { values, bind } = useFields({ name: type.name, seats: String(type.seats) });
  const options = { onSuccess: () => void refresh() };
  const rename = useMutation(trpc.admin.vehicleTypes.rename.mutationOptions(options));
  const setTypeSeats = useMutation(trpc.admin.vehicleTypes.setSeats.mutationOptions(options));
  const setActive = useMutation(trpc.admin.vehicleTypes.setActive.mutationOptions(options));
  const pending = rename.isPending || setTypeSeats.isPending || setActive.isPending;
  const nameErrors = formErrors(rename.error);
  const seatsErrors = formErrors(setTypeSeats.error);

  return (
    <li className="card" data-testid={`vehicle-type-${type.id}`} data-active={type.active}>
      <div className="admin-head">
        <strong>
          {type.id} <Pill value={type.active ? 'active' : 'retired'} />
        </strong>
        <span className="muted">{type.vehiclesInService} vehicle(s) in service</span>
        {type.active ? (
          <ConfirmButton
            label="Retire"
            question={`Retire ${type.name}? Riders can no longer book it and no vehicle can be given it.`}
            disabled={pending}
            onConfirm={() => setActive.mutate({ id: type.id, active: false })}
          />
        ) : (
          <ConfirmButton
            label="Reactivate"
            question={`Offer ${type.name} to riders again?`}
            disabled={pending}
            danger={false}
            onConfirm={() => setActive.mutate({ id: type.id, active: true })}
          />
        )}
      </div>
      <FormError errors={formErrors(setActive.error)} />
      <div className="admin-type-forms">
        <AdminForm
          head={null}
          card={false}
          errors={nameErrors}
          onSubmit={() => rename.mutate({ id: type.id, name: values.name })}
        >
          <Field label="Name" errors={nameErrors} {...bind('name')} />
          <FormActions submit="Rename" small disabled={pending || values.name.trim() === type.name} />
        </AdminForm>
        <AdminForm
          head={null}
          card={false}
          errors={seatsErrors}
          onSubmit={() => setTypeSeats.mutate({ id: type.id, seats: typedNumber(values.seats) })}
        >
          <Field label="Seats" errors={seatsErrors} inputMode="numeric" {...bind('seats')} />
          <FormActions
            submit="Save seats"
            small
            disabled={pending || values.seats.trim() === String(type.seats)}
          />
        </AdminForm>
      </div>
    </li>
  );
}
