'use client';
import { type FareKey, fareKeys } from '@/domain/admin/fare-fields';
import { Field } from './Field';
import type { FormErrors } from './form-errors';

/** A fare table as typed, in rupees (the server stores paise). */
export type FareText = Record<FareKey, string>;

const labels: Record<FareKey, string> = {
  baseFare: 'Base fare (₹)',
  perKm: 'Per km (₹)',
  perMinute: 'Per minute (₹)',
  minimumFare: 'Minimum fare (₹)',
  bookingFee: 'Booking fee (₹)',
};

/** The five amounts of a fare table; `prefix` is where the server names them (`fare.` in a form that nests it). */
export function FareInputs({
  value,
  onChange,
  errors,
  prefix = 'fare.',
}: {
  value: FareText;
  onChange: (next: FareText) => void;
  errors: FormErrors;
  prefix?: string;
}) {
  return (
    <fieldset>
      <legend>Fare</legend>
      {fareKeys.map((k) => (
        <Field
          key={k}
          label={labels[k]}
          name={`${prefix}${k}`}
          errors={errors}
          inputMode="decimal"
          value={value[k]}
          onChange={(e) => onChange({ ...value, [k]: e.target.value })}
        />
      ))}
    </fieldset>
  );
}
