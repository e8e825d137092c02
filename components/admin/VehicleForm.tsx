'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type RouterOutputs, useTRPC } from '../trpc';
import { AdminForm, CancelButton, FormActions } from './AdminForm';
import { Field, SelectField } from './Field';
import { formErrors } from './form-errors';
import { typedNumber } from './numbers';
import { useRefreshAdmin } from './use-admin-cache';
import { useFields } from './use-fields';

type Vehicle = RouterOutputs['admin']['vehicles']['list']['rows'][number];

/** Registers a vehicle, or edits one (`vehicle` given). Errors show beside their fields. */
export function VehicleForm({ vehicle, onDone }: { vehicle?: Vehicle; onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const types = useQuery(trpc.admin.vehicleTypes.list.queryOptions());
  const { values, bind } = useFields({
    plate: vehicle?.plate ?? '',
    make: vehicle?.make ?? '',
    model: vehicle?.model ?? '',
    color: vehicle?.color ?? '',
    capacity: vehicle ? String(vehicle.capacity) : '4',
  });
  // Empty until chosen: a new vehicle then gets the first active type (see `vehicleTypeId`).
  const [typeChoice, setType] = useState(vehicle?.vehicleTypeId ?? '');
  const options = { onSuccess: () => void refresh().then(onDone) };
  const create = useMutation(trpc.admin.vehicles.create.mutationOptions(options));
  const edit = useMutation(trpc.admin.vehicles.edit.mutationOptions(options));
  const errors = formErrors(vehicle ? edit.error : create.error);

  // Retired types are offered only to a vehicle that already has one.
  const offered = (types.data ?? []).filter((t) => t.active || t.id === vehicle?.vehicleTypeId);
  const typeOptions = offered.map((t) => ({
    value: t.id,
    label: `${t.name} (${t.seats} seats)${t.active ? '' : ' · retired'}`,
  }));
  // Not a fixed id such as 'economy': that type may be retired or gone, and the select would then
  // show one type while the form sent another. No active type at all: the server names the field.
  const vehicleTypeId = typeChoice || offered.find((t) => t.active)?.id || '';

  function submit() {
    const fields = { ...values, vehicleTypeId, capacity: typedNumber(values.capacity) };
    if (vehicle) edit.mutate({ vehicleId: vehicle.id, ...fields });
    else create.mutate(fields);
  }

  return (
    <AdminForm
      label={vehicle ? `Edit ${vehicle.plate}` : 'New vehicle'}
      testId="vehicle-form"
      errors={errors}
      onSubmit={submit}
    >
      <Field label="Plate" errors={errors} {...bind('plate')} autoComplete="off" />
      <SelectField
        label="Type"
        name="vehicleTypeId"
        errors={errors}
        value={vehicleTypeId}
        onChange={setType}
        options={typeOptions}
      />
      <Field label="Make" errors={errors} {...bind('make')} />
      <Field label="Model" errors={errors} {...bind('model')} />
      <Field label="Colour" errors={errors} {...bind('color')} />
      <Field label="Capacity (seats)" errors={errors} inputMode="numeric" {...bind('capacity')} />
      <FormActions
        submit={vehicle ? 'Save vehicle' : 'Add vehicle'}
        disabled={create.isPending || edit.isPending}
      >
        <CancelButton onClick={onDone} />
      </FormActions>
    </AdminForm>
  );
}
