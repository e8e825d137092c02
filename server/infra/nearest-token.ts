import { createHash } from 'node:crypto';

/**
 * The token web sends with a nearest-driver question to a workers process (header
 * `x-nearest-token`), derived from the SOCKET_TOKEN_SECRET both already share: no new secret.
 * The workers' port is internal; this keeps a stray caller from reading drivers' positions.
 */
export function nearestToken(secret: string): string {
  return createHash('sha256').update(`nearest:${secret}`).digest('base64url');
}
