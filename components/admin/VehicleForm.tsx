'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type RouterOutputs, useTRPC } from '../trpc';
import { Field, FormError, SelectField } from './Field';
import { formErrors } from './form-errors';
import { typedNumber } from './numbers';
import { useRefreshAdmin } from './use-admin-cache';

type Vehicle = RouterOutputs['admin']['vehicles']['list']['rows'][number];

/** Registers a vehicle, or edits one (`vehicle` given). Errors show beside their fields. */
export function VehicleForm({ vehicle, onDone }: { vehicle?: Vehicle; onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const types = useQuery(trpc.admin.vehicleTypes.list.queryOptions());
  const [plate, setPlate] = useState(vehicle?.plate ?? '');
  // Empty until chosen: a new vehicle then gets the first active type (see `vehicleTypeId`).
  const [typeChoice, setType] = useState(vehicle?.vehicleTypeId ?? '');
  const [make, setMake] = useState(vehicle?.make ?? '');
  const [model, setModel] = useState(vehicle?.model ?? '');
  const [color, setColor] = useState(vehicle?.color ?? '');
  const [capacity, setCapacity] = useState(vehicle ? String(vehicle.capacity) : '4');
  const options = { onSuccess: () => void refresh().then(onDone) };
  const create = useMutation(trpc.admin.vehicles.create.mutationOptions(options));
  const edit = useMutation(trpc.admin.vehicles.edit.mutationOptions(options));
  const pending = create.isPending || edit.isPending;
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

  function submit(e: FormEvent) {
    e.preventDefault();
    const fields = { plate, vehicleTypeId, make, model, color, capacity: typedNumber(capacity) };
    if (vehicle) edit.mutate({ vehicleId: vehicle.id, ...fields });
    else create.mutate(fields);
  }

  return (
    <form
      className="admin-form card"
      onSubmit={submit}
      noValidate
      data-testid="vehicle-form"
      aria-label={vehicle ? `Edit ${vehicle.plate}` : 'New vehicle'}
    >
      <h2 style={{ gridColumn: '1 / -1', margin: 0 }}>{vehicle ? `Edit ${vehicle.plate}` : 'New vehicle'}</h2>
      <FormError errors={errors} />
      <Field
        label="Plate"
        name="plate"
        errors={errors}
        value={plate}
        onChange={(e) => setPlate(e.target.value)}
        autoComplete="off"
      />
      <SelectField
        label="Type"
        name="vehicleTypeId"
        errors={errors}
        value={vehicleTypeId}
        onChange={setType}
        options={typeOptions}
      />
      <Field
        label="Make"
        name="make"
        errors={errors}
        value={make}
        onChange={(e) => setMake(e.target.value)}
      />
      <Field
        label="Model"
        name="model"
        errors={errors}
        value={model}
        onChange={(e) => setModel(e.target.value)}
      />
      <Field
        label="Colour"
        name="color"
        errors={errors}
        value={color}
        onChange={(e) => setColor(e.target.value)}
      />
      <Field
        label="Capacity (seats)"
        name="capacity"
        errors={errors}
        inputMode="numeric"
        value={capacity}
        onChange={(e) => setCapacity(e.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={pending}>
          {vehicle ? 'Save vehicle' : 'Add vehicle'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
