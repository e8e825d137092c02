import { CallTimeoutError, CircuitOpenError } from './circuit-breaker';

/** PostgreSQL SQLSTATEs meaning "the server is not there right now" (class 08, shutdown, starting up). */
const pgUnavailable = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03']);
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const messages = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Connection is closed',
  'Command timed out',
  'connect ECONNREFUSED',
];

/**
 * True when `error` (or any cause in its chain) says a dependency is down or not answering, as
 * opposed to a bug: such requests are answered 503 with Retry-After, not 500.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof CircuitOpenError || e instanceof CallTimeoutError) return true;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    // By name too: the API door and Next's bundle hold separate copies of these classes.
    if (name === 'CircuitOpenError' || name === 'CallTimeoutError') return true;
    if (typeof code === 'string' && (pgUnavailable.has(code) || socketCodes.has(code))) return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof message === 'string' && messages.some((m) => message.includes(m))) return true;
  }
  return false;
}
