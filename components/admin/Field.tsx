'use client';
import { type InputHTMLAttributes, type ReactNode, useId } from 'react';
import { errorFor, type FormErrors } from './form-errors';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'name'> {
  label: string;
  /** The input's path as the server names it (`plate`, `fare.perKm`): where its error is found. */
  name: string;
  errors: FormErrors;
  hint?: string;
}

/** A labelled input with the server's message for it underneath, linked for screen readers. */
export function Field({ label, name, errors, hint, ...input }: FieldProps) {
  const { id, error, control } = useFieldError(errors, name);
  return (
    <FieldFrame id={id} label={label} name={name} error={error} hint={hint}>
      <input {...control} {...input} />
    </FieldFrame>
  );
}

interface SelectFieldProps {
  label: string;
  name: string;
  errors: FormErrors;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
}

export function SelectField({ label, name, errors, value, onChange, options }: SelectFieldProps) {
  const { id, error, control } = useFieldError(errors, name);
  return (
    <FieldFrame id={id} label={label} name={name} error={error}>
      <select {...control} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** The server's message for `name`, and the attributes that tie the control to it. */
function useFieldError(errors: FormErrors, name: string) {
  const id = useId();
  const error = errorFor(errors, name);
  const control = {
    id,
    name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  };
  return { id, error, control };
}

function FieldFrame(props: {
  id: string;
  label: string;
  name: string;
  error: string | undefined;
  hint?: string;
  children: ReactNode;
}) {
  const { id, label, name, error, hint, children } = props;
  return (
    <label className="admin-field" htmlFor={id}>
      <span>{label}</span>
      {children}
      {hint && !error ? <small className="muted">{hint}</small> : null}
      {error ? (
        <small className="field-error" id={`${id}-error`} data-field={name} role="alert">
          {error}
        </small>
      ) : null}
    </label>
  );
}

/** The form-level message (a conflict, or "correct the fields below"). */
export function FormError({ errors }: { errors: FormErrors }) {
  return errors.form ? (
    <p className="error" role="alert" data-testid="form-error">
      {errors.form}
    </p>
  ) : null;
}
