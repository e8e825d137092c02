/**
 * The one error type of the core. Each door maps `code` once: HTTP status and tRPC code
 * (server/web/problem.ts, for tRPC, REST and the plain routes), socket ack, and for jobs
 * BullMQ's UnrecoverableError (workers/kit/define-job.ts: not retried, except UNAVAILABLE and
 * RATE_LIMITED, which mean "later"). Messages are safe to show to the caller; anything else
 * (driver errors, stack traces) never leaves the server.
 */
export const errorCodes = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_TRANSITION',
  /** Well-formed, but cannot be honoured as asked (e.g. an idempotency key reused with another body). */
  'UNPROCESSABLE',
  'RATE_LIMITED',
  'UNAVAILABLE',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorDetails {
  /** Dotted path of the offending input field, when one is to blame. */
  field?: string;
  /** Seconds until a retry can succeed (rate limits, outages). */
  retryAfterS?: number;
  /** The same in milliseconds, for callers that retry sooner than a second (telemetry). */
  retryAfterMs?: number;
  [key: string]: unknown;
}

/**
 * Marks a DomainError across module instances: the web process loads this file twice (once by
 * tsx for the API door, once inside Next's bundle for the pages), so `instanceof` alone would
 * miss an error made by the other copy. `Symbol.for` is the same symbol in both.
 */
const domainErrorBrand = Symbol.for('opendispatch.DomainError');

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly [domainErrorBrand] = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return (
    error instanceof DomainError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { [domainErrorBrand]?: unknown })[domainErrorBrand] === true)
  );
}
