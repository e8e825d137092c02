import type { ZodError } from 'zod';
import { type ErrorCode, isDomainError } from '@/domain/errors';
import type { AckError } from '@/domain/realtime-contract';

export type Refusal = { ok: false; error: AckError };

export function fail(code: ErrorCode, message: string, field?: string): Refusal {
  return { ok: false, error: { code, message, ...(field ? { field } : {}) } };
}

/** A validation failure as an ack naming the first offending field. */
export function invalid(error: ZodError): Refusal {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  return fail(
    'INVALID_INPUT',
    issue ? `${field || 'payload'}: ${issue.message}` : 'Invalid payload',
    field || undefined,
  );
}

/**
 * A DomainError as its ack (code, message, field, retry time); null for anything else, whose
 * details must not reach the client.
 */
export function domainRefusal(error: unknown): Refusal | null {
  if (!isDomainError(error)) return null;
  const refusal = fail(error.code, error.message, error.details.field);
  if (error.details.retryAfterS !== undefined) refusal.error.retryAfterS = error.details.retryAfterS;
  if (error.details.retryAfterMs !== undefined) refusal.error.retryAfterMs = error.details.retryAfterMs;
  return refusal;
}
