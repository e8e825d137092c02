import { userFromCookieHeader } from '../auth/current-user';
import type { SessionUser } from '../auth/session-user';
import type { WebDeps } from './deps';

/**
 * The signed-in user behind a request, as every API door (tRPC, REST) resolves it: the session
 * cookie read from the raw header, verified against the per-process session cache (ADR 0016).
 * The one place a door asks for the session.
 */
export function sessionUserOf(request: Request, deps: WebDeps): Promise<SessionUser | null> {
  return userFromCookieHeader(deps, request.headers.get('cookie'), request.headers.get('authorization'));
}
