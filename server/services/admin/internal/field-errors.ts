import { DomainError } from '@/domain/errors';

/**
 * Field-level refusals. Every admin refusal names the input field to blame, so the form shows the
 * message beside it (tRPC passes `details.field` to the client as `data.field`).
 */
export function invalidField(field: string, message: string): DomainError {
  return new DomainError('INVALID_INPUT', `${field}: ${message}`, { field });
}

export function conflictOn(field: string, message: string): DomainError {
  return new DomainError('CONFLICT', `${field}: ${message}`, { field });
}

export function notFoundField(field: string, what: string): DomainError {
  return new DomainError('NOT_FOUND', `${field}: no such ${what}`, { field });
}

/** The unique constraint a PostgreSQL error violated (drizzle wraps the driver's error in `cause`). */
export function violatedUnique(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pg = e.code ? e : e.cause;
  return pg?.code === '23505' ? pg.constraint : undefined;
}
