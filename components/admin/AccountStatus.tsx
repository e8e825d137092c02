'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc';
import { ConfirmButton } from './ConfirmButton';
import { Field, FormError } from './Field';
import { formErrors } from './form-errors';
import { useRefreshAdmin } from './use-admin-cache';
import { useFields } from './use-fields';

/**
 * Suspend (block) or reinstate an account. Suspending asks for a reason and confirmation, and
 * signs the person out everywhere at once (their open pages and sockets end within a minute).
 */
export function AccountStatus({
  user,
  verb = 'Suspend',
}: {
  user: { id: string; name: string; status: 'active' | 'suspended' };
  verb?: 'Suspend' | 'Block';
}) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const [asking, setAsking] = useState(false);
  const { values, setValues, bind } = useFields({ reason: '' });
  const setStatus = useMutation(
    trpc.admin.users.setStatus.mutationOptions({
      onSuccess: () => {
        setAsking(false);
        setValues({ reason: '' });
        void refresh();
      },
    }),
  );
  const errors = formErrors(setStatus.error);
  const undo = verb === 'Block' ? 'Unblock' : 'Reinstate';

  if (user.status === 'suspended') {
    return (
      <span className="row-actions">
        <ConfirmButton
          label={undo}
          question={`${undo} ${user.name}? They can sign in again.`}
          danger={false}
          disabled={setStatus.isPending}
          onConfirm={() => setStatus.mutate({ userId: user.id, status: 'active' })}
        />
        <FormError errors={errors} />
      </span>
    );
  }
  if (!asking) {
    return (
      <button type="button" className="button small danger" onClick={() => setAsking(true)}>
        {verb}
      </button>
    );
  }
  return (
    <form
      className="confirm"
      role="alertdialog"
      aria-label={`${verb} ${user.name}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setStatus.mutate({ userId: user.id, status: 'suspended', reason: values.reason });
      }}
    >
      <span>
        {verb} {user.name}? They are signed out everywhere at once.
      </span>
      <Field label="Reason" errors={errors} {...bind('reason')} />
      <button type="submit" className="button small danger" disabled={setStatus.isPending}>
        Yes, {verb.toLowerCase()}
      </button>
      <button type="button" className="button small" onClick={() => setAsking(false)}>
        Cancel
      </button>
      <FormError errors={errors} />
    </form>
  );
}
