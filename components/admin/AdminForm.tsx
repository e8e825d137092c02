'use client';
import type { ReactNode } from 'react';
import { FormError } from './Field';
import type { FormErrors } from './form-errors';

interface AdminFormProps {
  /** The form's accessible name; also its heading unless `head` says otherwise. */
  label?: string;
  testId?: string;
  /** What stands above the message and fields: the label as a heading by default, `null` for none. */
  head?: ReactNode;
  /** A form inside a card (a row's or a panel's) is not a card itself. */
  card?: boolean;
  errors: FormErrors;
  onSubmit: () => void;
  children: ReactNode;
}

/**
 * An admin form. The browser validates nothing (`noValidate`): the server checks every field and
 * names the ones it refuses, shown beside them, with the form-level message first.
 */
export function AdminForm({ label, testId, head, card = true, errors, onSubmit, children }: AdminFormProps) {
  return (
    <form
      className={card ? 'admin-form card' : 'admin-form'}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      noValidate
      data-testid={testId}
      aria-label={label}
    >
      {head === undefined ? <h2 style={{ gridColumn: '1 / -1', margin: 0 }}>{label}</h2> : head}
      <FormError errors={errors} />
      {children}
    </form>
  );
}

/** The submit button, disabled while the change is on its way, and whatever stands beside it. */
export function FormActions({
  submit,
  disabled,
  small = false,
  children,
}: {
  submit: string;
  disabled: boolean;
  small?: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className={small ? 'button small primary' : 'button primary'} disabled={disabled}>
        {submit}
      </button>
      {children}
    </div>
  );
}

export function CancelButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="button" onClick={onClick}>
      Cancel
    </button>
  );
}

/** Said once the server has the change. */
export function SavedNote({ children = 'Saved.', testId }: { children?: ReactNode; testId?: string }) {
  return (
    <span role="status" className="muted" data-testid={testId}>
      {children}
    </span>
  );
}
