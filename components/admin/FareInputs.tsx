'use client';
import { type FareKey, fareKeys } from '@/domain/admin/fare-fields';
import { currency } from '@/domain/money';
import { Field } from './Field';
import type { FormErrors } from './form-errors';

/** A fare table as typed, in whole units of the currency (the server stores minor units). */
export type FareText = Record<FareKey, string>;

const labels: Record<FareKey, string> = {
  baseFare: `Base fare (${currency})`,
  perKm: `Per km (${currency})`,
  perMinute: `Per minute (${currency})`,
  minimumFare: `Minimum fare (${currency})`,
  bookingFee: `Booking fee (${currency})`,
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
