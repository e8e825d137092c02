'use client';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { AdminForm, CancelButton, FormActions } from './AdminForm';
import { Field } from './Field';
import { formErrors } from './form-errors';
import { useRefreshAdmin } from './use-admin-cache';
import { useFields } from './use-fields';

/**
 * A new driver account: documents start pending (they cannot go on duty until verified); phone
 * and licence are encrypted by the server. The admin passes the first password on.
 */
export function OnboardDriverForm({ onDone }: { onDone: (driverId: string) => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const { values, bind } = useFields({ name: '', email: '', phone: '', licenseNumber: '', password: '' });
  const onboard = useMutation(
    trpc.admin.drivers.onboard.mutationOptions({ onSuccess: (d) => void refresh().then(() => onDone(d.id)) }),
  );
  const errors = formErrors(onboard.error);

  return (
    <AdminForm
      label="Onboard a driver"
      testId="onboard-form"
      errors={errors}
      onSubmit={() => onboard.mutate(values)}
    >
      <Field label="Name" errors={errors} {...bind('name')} autoComplete="off" />
      <Field label="E-mail" errors={errors} {...bind('email')} autoComplete="off" type="email" />
      <Field label="Phone" errors={errors} {...bind('phone')} autoComplete="off" type="tel" />
      <Field label="Licence number" errors={errors} {...bind('licenseNumber')} autoComplete="off" />
      <Field
        label="First password"
        errors={errors}
        {...bind('password')}
        type="password"
        autoComplete="new-password"
      />
      <FormActions submit="Onboard driver" disabled={onboard.isPending}>
        <CancelButton onClick={() => onDone('')} />
      </FormActions>
    </AdminForm>
  );
}
