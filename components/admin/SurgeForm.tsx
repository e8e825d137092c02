'use client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type RouterOutputs, useTRPC } from '../trpc';
import { Field, FormError } from './Field';
import { formErrors } from './form-errors';
import { typedNumber } from './numbers';
import { useRefreshAdmin } from './use-admin-cache';

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
  const [values, setValues] = useState<Record<Key, string>>({
    cap: String(settings.surge.cap),
    threshold: String(settings.surge.threshold),
    slope: String(settings.surge.slope),
    neighbourWeight: String(settings.surge.neighbourWeight),
  });
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.admin.settings.updateSurge.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void refresh();
      },
    }),
  );
  const errors = formErrors(update.error);
  const limits = settings.limits.surge;

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    update.mutate({
      cap: typedNumber(values.cap),
      threshold: typedNumber(values.threshold),
      slope: typedNumber(values.slope),
      neighbourWeight: typedNumber(values.neighbourWeight),
    });
  }

  return (
    <form
      className="admin-form card"
      onSubmit={submit}
      noValidate
      data-testid="surge-form"
      aria-label="Surge"
    >
      <div className="admin-head" style={{ gridColumn: '1 / -1' }}>
        <h2>Surge</h2>
        <span className="muted">
          Defaults: cap {settings.defaults.surge.cap}×, starts at {settings.defaults.surge.threshold}
        </span>
      </div>
      <FormError errors={errors} />
      {(Object.keys(labels) as Key[]).map((k) => (
        <Field
          key={k}
          label={labels[k]}
          name={k}
          errors={errors}
          inputMode="decimal"
          value={values[k]}
          hint={`${limits[k][0]} to ${limits[k][1]}`}
          onChange={(e) => setValues({ ...values, [k]: e.target.value })}
        />
      ))}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={update.isPending}>
          Save surge policy
        </button>
        {saved ? (
          <span role="status" className="muted">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
