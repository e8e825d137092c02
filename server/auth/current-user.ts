import type { WebDeps } from '../web/deps';
import { webDeps } from '../web/deps';
import { parseCookieHeader } from './session-cookie';
import type { SessionUser } from './session-user';

type CookieSource = { getAll(): { name: string; value: string }[] };
type HeaderSource = { get(name: string): string | null };

/**
 * The signed-in user behind a request's session cookie (revoked, expired or suspended sessions
 * resolve to null), as next-auth's getToken reads the cookie. Never trust the proxy alone.
 */
export function userFromCookies(cookies: CookieSource, headers: HeaderSource): Promise<SessionUser | null> {
  const deps = webDeps();
  return deps.sessions.userOf(cookies.getAll(), headers.get('authorization'), deps.clock.now());
}

/** The same from a raw `cookie` header (and `authorization`), for a door without Next's cookie object. */
export function userFromCookieHeader(
  deps: Pick<WebDeps, 'sessions' | 'clock'>,
  cookieHeader: string | null | undefined,
  authorization?: string | null,
): Promise<SessionUser | null> {
  return deps.sessions.userOf(parseCookieHeader(cookieHeader), authorization, deps.clock.now());
}
