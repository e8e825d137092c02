import { getToken } from 'next-auth/jwt';
import { resolveAuthSession } from '../services/account/auth-sessions';
import { webDeps } from '../web/deps';
import type { SessionUser } from './session-user';

type CookieSource = { getAll(): { name: string; value: string }[] };

/**
 * The signed-in user behind a request's session cookie, checked against the database every
 * time (revoked, expired or suspended sessions resolve to null). Never trust the proxy alone.
 */
export async function userFromCookies(cookies: CookieSource, headers: Headers): Promise<SessionUser | null> {
  const deps = webDeps();
  const token = await getToken({
    req: { cookies, headers } as unknown as Parameters<typeof getToken>[0]['req'],
    secret: deps.env.NEXTAUTH_SECRET,
    secureCookie: deps.env.NEXTAUTH_URL.startsWith('https://'),
  });
  if (!token?.sid) return null;
  return resolveAuthSession(deps.db, token.sid, deps.clock.now());
}
