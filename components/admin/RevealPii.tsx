'use client';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { humanError } from '../ui/human-error';

const labels = { phone: 'phone', licenseNumber: 'licence' } as const;

/**
 * Shows one encrypted personal field on demand. Lists never carry these values; each reveal is a
 * request the server records in the audit log (`pii.viewed`), and the value is kept only in this
 * component's memory.
 */
export function RevealPii({ userId, field }: { userId: string; field: 'phone' | 'licenseNumber' }) {
  const trpc = useTRPC();
  const reveal = useMutation(trpc.admin.users.revealPii.mutationOptions());
  if (reveal.data) {
    return (
      <span className="pii-value" data-testid={`pii-${field}`}>
        {reveal.data.value ?? `no ${labels[field]} on file`}
      </span>
    );
  }
  return (
    <span>
      <button
        type="button"
        className="button small"
        disabled={reveal.isPending}
        title="Viewing is recorded in the audit log"
        onClick={() => reveal.mutate({ userId, field })}
      >
        Show {labels[field]}
      </button>
      {reveal.error ? <small className="field-error"> {humanError(reveal.error).message}</small> : null}
    </span>
  );
}
