import { ZodError } from 'zod';
import { DomainError, type ErrorCode, isDomainError } from '@/domain/errors';
import type { Logger } from '../infra/logger';
import { isDependencyUnavailable } from '../infra/unavailable';

/**
 * The web process's one mapping from an error to an HTTP answer. It lives in server/web, beside
 * the other plumbing its HTTP doors share (same-origin check, body limit), because every door
 * reaches it from there without pulling in another: the tRPC door (server/trpc), the REST door
 * (server/openapi) and the plain route handlers (app/api). It imports neither tRPC nor Next.
 */

/**
 * The status of each DomainError code, and the name the tRPC and REST doors answer it with
 * (`error.data.code`, `error.code`): tRPC's own codes, which server/trpc/errors.ts takes from here.
 */
export const httpOf = {
  INVALID_INPUT: { status: 400, name: 'BAD_REQUEST' },
  UNAUTHENTICATED: { status: 401, name: 'UNAUTHORIZED' },
  FORBIDDEN: { status: 403, name: 'FORBIDDEN' },
  NOT_FOUND: { status: 404, name: 'NOT_FOUND' },
  CONFLICT: { status: 409, name: 'CONFLICT' },
  INVALID_TRANSITION: { status: 409, name: 'CONFLICT' },
  UNPROCESSABLE: { status: 422, name: 'UNPROCESSABLE_CONTENT' },
  RATE_LIMITED: { status: 429, name: 'TOO_MANY_REQUESTS' },
  UNAVAILABLE: { status: 503, name: 'SERVICE_UNAVAILABLE' },
} as const satisfies Record<ErrorCode, { status: number; name: string }>;

/** What an unexpected failure says: nothing about itself (its message and stack go to the log). */
export const internalMessage = 'Something went wrong on our side';

export interface FieldIssue {
  field: string;
  message: string;
}

/** One refusal, door-neutral: each door writes it in its own envelope. */
export interface Problem {
  status: number;
  /** The DomainError code; INTERNAL for anything unexpected. */
  code: ErrorCode | 'INTERNAL';
  /** Safe to show to a person. */
  message: string;
  field: string | null;
  issues?: FieldIssue[];
  retryAfterS?: number;
}

/** A database or Redis outage is not a bug: the caller is told to come back shortly. */
export function outage(): DomainError {
  return new DomainError('UNAVAILABLE', 'The service is briefly unavailable; try again in a few seconds', {
    retryAfterS: 5,
  });
}

/** The DomainError `error` is answered as: itself, an outage (503), or null when it is a bug. */
export function domainErrorOf(error: unknown): DomainError | null {
  if (isDomainError(error)) return error;
  return isDependencyUnavailable(error) ? outage() : null;
}

/** Invalid input, as every door words it: `<field>: <problem>`, naming each field at fault. */
export function describeZodError(error: ZodError): { message: string; field: string; issues: FieldIssue[] } {
  const issues = error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  const first = issues[0]!;
  return { message: `${first.field || 'input'}: ${first.message}`, field: first.field, issues };
}

export function problemOf(error: unknown): Problem {
  if (error instanceof ZodError) return { status: 400, code: 'INVALID_INPUT', ...describeZodError(error) };
  const domain = domainErrorOf(error);
  if (!domain) return { status: 500, code: 'INTERNAL', message: internalMessage, field: null };
  const { field, retryAfterS } = domain.details;
  return {
    status: httpOf[domain.code].status,
    code: domain.code,
    message: domain.message,
    field: field ?? null,
    ...(retryAfterS ? { retryAfterS } : {}),
  };
}

/**
 * Logs a failure as the operator needs it: an outage as a warning, anything unexpected as an error
 * with its stack; a DomainError (the caller's doing) not at all.
 */
export function logFailure(logger: Logger, error: unknown, bindings: Record<string, unknown>): void {
  if (isDomainError(error)) return;
  if (isDependencyUnavailable(error)) logger.warn({ err: error, ...bindings }, 'dependency unavailable');
  else logger.error({ err: error, ...bindings }, 'request failed');
}

/** The JSON error body of the plain routes and the REST door: `{ error: { code, message, field } }`. */
export interface ProblemBody {
  code: string;
  message: string;
  field: string | null;
  issues?: FieldIssue[];
}

/** An error answer; never stored by a cache between us and the caller. */
export function problemJson(
  status: number,
  error: ProblemBody,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ error }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** Headers a problem carries: Retry-After when the caller can come back. */
export function problemHeaders(problem: Problem): Record<string, string> {
  return problem.retryAfterS ? { 'retry-after': String(problem.retryAfterS) } : {};
}

const httpNameOf = (code: Problem['code']) =>
  code === 'INTERNAL' ? 'INTERNAL_SERVER_ERROR' : httpOf[code].name;

/**
 * A problem as an answer. `codes`: the plain routes name it by the DomainError code
 * (`INVALID_INPUT`); the REST door by the HTTP name tRPC uses too (`BAD_REQUEST`).
 */
export function problemResponse(problem: Problem, codes: 'domain' | 'http' = 'domain'): Response {
  const { code, message, field, issues } = problem;
  const body = {
    code: codes === 'http' ? httpNameOf(code) : code,
    message,
    field,
    ...(issues ? { issues } : {}),
  };
  return problemJson(problem.status, body, problemHeaders(problem));
}

/**
 * What a plain route answers when its work throws: the problem (invalid input, a DomainError, an
 * outage, a bug), logged when it is on our side.
 */
export function failureResponse(error: unknown, logger: Logger, bindings: Record<string, unknown>): Response {
  const problem = problemOf(error);
  if (problem.status >= 500) logFailure(logger, error, bindings);
  return problemResponse(problem);
}

/** A refusal a door decides itself (no session, wrong role, a bad query string). */
export function refusal(
  code: ErrorCode,
  message: string,
  options: { field?: string; codes?: 'domain' | 'http' } = {},
): Response {
  const details = options.field === undefined ? {} : { field: options.field };
  return problemResponse(problemOf(new DomainError(code, message, details)), options.codes);
}
