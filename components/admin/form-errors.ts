import { TRPCClientError } from '@trpc/client';
import { humanError } from '../ui/human-error';

/** A refused form: one message per input field the server blamed, and what to say above the form. */
export interface FormErrors {
  fields: Record<string, string>;
  /** Shown when no field is to blame (a conflict, a network failure), or in addition to them. */
  form: string | null;
}

export const noErrors: FormErrors = { fields: {}, form: null };

/**
 * Reads the server's refusal: zod failures list every field (`issues`), use-case refusals name one
 * (`field`, with a message that starts with it). Fields are dotted paths (`fare.perKm`, `cells.3`).
 */
export function formErrors(error: unknown): FormErrors {
  if (!error) return noErrors;
  const human = humanError(error);
  const data =
    error instanceof TRPCClientError ? (error.data as { issues?: unknown } | undefined) : undefined;
  const issues = Array.isArray(data?.issues) ? (data.issues as { field: string; message: string }[]) : [];
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[issue.field] ??= issue.message;
  if (issues.length === 0 && human.field) {
    const prefix = `${human.field}: `;
    fields[human.field] = human.message.startsWith(prefix)
      ? human.message.slice(prefix.length)
      : human.message;
  }
  const blamed = Object.keys(fields).length;
  return {
    fields,
    form: blamed > 0 ? `Please correct the ${blamed === 1 ? 'field' : 'fields'} marked below` : human.message,
  };
}

/** The message for `field` or any field under it (`cells` shows `cells.3`'s). */
export function errorFor(errors: FormErrors, field: string): string | undefined {
  if (errors.fields[field]) return errors.fields[field];
  const nested = Object.keys(errors.fields).find((f) => f.startsWith(`${field}.`));
  return nested ? errors.fields[nested] : undefined;
}
