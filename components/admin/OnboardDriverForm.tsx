'use client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../trpc';
import { Field, FormError } from './Field';
import { formErrors } from './form-errors';
import { useRefreshAdmin } from './use-admin-cache';

/**
 * A new driver account: documents start pending (they cannot go on duty until verified); phone
 * and licence are encrypted by the server. The admin passes the first password on.
 */
export function OnboardDriverForm({ onDone }: { onDone: (driverId: string) => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const [values, setValues] = useState({ name: '', email: '', phone: '', licenseNumber: '', password: '' });
  const onboard = useMutation(
    trpc.admin.drivers.onboard.mutationOptions({ onSuccess: (d) => void refresh().then(() => onDone(d.id)) }),
  );
  const errors = formErrors(onboard.error);
  const field = (name: keyof typeof values, label: string, extra: Record<string, string> = {}) => (
    <Field
      label={label}
      name={name}
      errors={errors}
      value={values[name]}
      onChange={(e) => setValues({ ...values, [name]: e.target.value })}
      autoComplete="off"
      {...extra}
    />
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    onboard.mutate(values);
  }

  return (
    <form
      className="admin-form card"
      onSubmit={submit}
      noValidate
      data-testid="onboard-form"
      aria-label="Onboard a driver"
    >
      <h2 style={{ gridColumn: '1 / -1', margin: 0 }}>Onboard a driver</h2>
      <FormError errors={errors} />
      {field('name', 'Name')}
      {field('email', 'E-mail', { type: 'email' })}
      {field('phone', 'Phone', { type: 'tel' })}
      {field('licenseNumber', 'Licence number')}
      {field('password', 'First password', { type: 'password', autoComplete: 'new-password' })}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={onboard.isPending}>
          Onboard driver
        </button>
        <button type="button" className="button" onClick={() => onDone('')}>
          Cancel
        </button>
      </div>
    </form>
  );
}
