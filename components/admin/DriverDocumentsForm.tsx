'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../trpc';
import { AdminForm, FormActions, SavedNote } from './AdminForm';
import { type DocumentStatus, documentStatusOptions } from './document-status';
import { Field, SelectField } from './Field';
import { formErrors } from './form-errors';
import { useRefreshAdmin } from './use-admin-cache';
import { useFields } from './use-fields';

/** The outcome of a document check; a rejection says why (the driver is told). */
export function DriverDocumentsForm({
  driver,
}: {
  driver: { id: string; documentStatus: DocumentStatus; documentNote: string | null };
}) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const [status, setStatus] = useState<DocumentStatus>(driver.documentStatus);
  const { values, bind } = useFields({ note: driver.documentNote ?? '' });
  const save = useMutation(
    trpc.admin.drivers.setDocuments.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const errors = formErrors(save.error);

  return (
    <AdminForm
      label="Document check"
      testId="documents-form"
      head={null}
      card={false}
      errors={errors}
      onSubmit={() => save.mutate({ driverId: driver.id, status, note: values.note })}
    >
      <SelectField
        label="Documents"
        name="status"
        errors={errors}
        value={status}
        onChange={(v) => setStatus(v as DocumentStatus)}
        options={documentStatusOptions}
      />
      <Field label="Note to the driver" errors={errors} {...bind('note')} />
      <FormActions submit="Save documents" disabled={save.isPending} small>
        {save.isSuccess ? <SavedNote /> : null}
      </FormActions>
    </AdminForm>
  );
}
