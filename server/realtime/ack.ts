import type { ZodError } from 'zod';
import type { ErrorCode } from '@/domain/errors';
import type { AckError } from '@/domain/realtime-contract';

export function fail(code: ErrorCode, message: string, field?: string): { ok: false; error: AckError } {
  return { ok: false, error: { code, message, ...(field ? { field } : {}) } };
}

/** A validation failure as an ack naming the first offending field. */
export function invalid(error: ZodError): { ok: false; error: AckError } {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  return fail(
    'INVALID_INPUT',
    issue ? `${field || 'payload'}: ${issue.message}` : 'Invalid payload',
    field || undefined,
  );
}
