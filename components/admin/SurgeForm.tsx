'use client';
import { useMutation } from '@tanstack/react-query';
import { type RouterOutputs, useTRPC } from '../trpc';
import { AdminForm, FormActions, SavedNote } from './AdminForm';
import { Field } from './Field';
import { formErrors } from './form-errors';
import { typedNumber } from './numbers';
import { useRefreshAdmin } from './use-admin-cache';
import { useFields } from './use-fields';

type Settings = RouterOutputs['admin']['settings']['get'];
type Key = 'cap' | 'threshold' | 'slope' | 'neighbourWeight';

const labels: Record<Key, string> = {
  cap: 'Cap (highest multiplier)',
  threshold: 'Starts at demand ÷ supply',
  slope: 'Multiplier added per unit above',
  neighbourWeight: 'Weight of neighbouring cells',
};

/** The surge policy and its cap; the workers' next surge run (every 10 s) uses it. */
export function SurgeForm({ settings }: { settings: Settings }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const { values, bind } = useFields<Key>({
    cap: String(settings.surge.cap),
    threshold: String(settings.surge.threshold),
    slope: String(settings.surge.slope),
    neighbourWeight: String(settings.surge.neighbourWeight),
  });
  // Success is cleared by the next submit (the mutation is pending again), so "Saved" never lingers.
  const update = useMutation(
    trpc.admin.settings.updateSurge.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const errors = formErrors(update.error);
  const limits = settings.limits.surge;

  return (
    <AdminForm
      label="Surge"
      testId="surge-form"
      head={
        <div className="admin-head" style={{ gridColumn: '1 / -1' }}>
          <h2>Surge</h2>
          <span className="muted">
            Defaults: cap {settings.defaults.surge.cap}×, starts at {settings.defaults.surge.threshold}
          </span>
        </div>
      }
      errors={errors}
      onSubmit={() =>
        update.mutate({
          cap: typedNumber(values.cap),
          threshold: typedNumber(values.threshold),
          slope: typedNumber(values.slope),
          neighbourWeight: typedNumber(values.neighbourWeight),
        })
      }
    >
      {(Object.keys(labels) as Key[]).map((k) => (
        <Field
          key={k}
          label={labels[k]}
          errors={errors}
          inputMode="decimal"
          hint={`${limits[k][0]} to ${limits[k][1]}`}
          {...bind(k)}
        />
      ))}
      <FormActions submit="Save surge policy" disabled={update.isPending}>
        {update.isSuccess ? <SavedNote /> : null}
      </FormActions>
    </AdminForm>
  );
}
