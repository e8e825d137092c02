'use client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Role } from '@/domain/roles';
import { roles } from '@/domain/roles';
import { useTRPC } from '../trpc';
import { ConfirmButton } from './ConfirmButton';
import { Field, FormError } from './Field';
import { formErrors } from './form-errors';
import { useRefreshAdmin } from './use-admin-cache';

/**
 * Role and password of one account. Both sign the person out everywhere, so both ask first.
 * The new password is typed by the admin and passed on to the person; it is never shown again.
 */
export function UserAccess({ user }: { user: { id: string; name: string; role: Role } }) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const [role, setRole] = useState<Role>(user.role);
  const [password, setPassword] = useState('');
  const changeRole = useMutation(
    trpc.admin.users.changeRole.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const reset = useMutation(
    trpc.admin.users.resetPassword.mutationOptions({ onSuccess: () => setPassword('') }),
  );
  const roleErrors = formErrors(changeRole.error);
  const passwordErrors = formErrors(reset.error);

  // Enter in the field does nothing by itself: a reset signs the person out, so it is confirmed first.
  const submitPassword = (e: FormEvent) => e.preventDefault();

  return (
    <div className="admin-form" data-testid="user-access">
      <FormError errors={roleErrors} />
      <label className="admin-field">
        <span>Role</span>
        <select
          name="role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          aria-invalid={roleErrors.fields.role ? true : undefined}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        {roleErrors.fields.role || roleErrors.fields.userId ? (
          <small className="field-error" role="alert" data-field="role">
            {roleErrors.fields.role ?? roleErrors.fields.userId}
          </small>
        ) : null}
      </label>
      <div className="form-actions">
        <ConfirmButton
          label="Change role"
          question={`Make ${user.name} a ${role}? They are signed out everywhere.`}
          disabled={role === user.role || changeRole.isPending}
          onConfirm={() => changeRole.mutate({ userId: user.id, role })}
        />
      </div>
      <form
        className="admin-form"
        style={{ gridColumn: '1 / -1' }}
        onSubmit={submitPassword}
        noValidate
        aria-label="Reset password"
      >
        <FormError errors={passwordErrors} />
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          errors={passwordErrors}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <div className="form-actions">
          <ConfirmButton
            label="Reset password"
            question={`Set this password for ${user.name}? They are signed out everywhere.`}
            disabled={reset.isPending}
            onConfirm={() => reset.mutate({ userId: user.id, password })}
          />
          {reset.isSuccess ? (
            <span role="status" className="muted">
              Password set; {user.name} was signed out everywhere.
            </span>
          ) : null}
        </div>
      </form>
    </div>
  );
}
