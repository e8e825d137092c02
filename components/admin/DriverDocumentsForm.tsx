'use client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../trpc';
import { Field, FormError, SelectField } from './Field';
import { formErrors } from './form-errors';
import { useRefreshAdmin } from './use-admin-cache';

type DocumentStatus = 'pending' | 'verified' | 'rejected';

/** The outcome of a document check; a rejection says why (the driver is told). */
export function DriverDocumentsForm({
  driver,
}: {
  driver: { id: string; documentStatus: DocumentStatus; documentNote: string | null };
}) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const [status, setStatus] = useState<DocumentStatus>(driver.documentStatus);
  const [note, setNote] = useState(driver.documentNote ?? '');
  const save = useMutation(
    trpc.admin.drivers.setDocuments.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const errors = formErrors(save.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ driverId: driver.id, status, note });
  }

  return (
    <form
      className="admin-form"
      onSubmit={submit}
      noValidate
      data-testid="documents-form"
      aria-label="Document check"
    >
      <FormError errors={errors} />
      <SelectField
        label="Documents"
        name="status"
        errors={errors}
        value={status}
        onChange={(v) => setStatus(v as DocumentStatus)}
        options={[
          { value: 'pending', label: 'Pending check' },
          { value: 'verified', label: 'Verified' },
          { value: 'rejected', label: 'Rejected' },
        ]}
      />
      <Field
        label="Note to the driver"
        name="note"
        errors={errors}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="button small primary" disabled={save.isPending}>
          Save documents
        </button>
        {save.isSuccess ? (
          <span role="status" className="muted">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
