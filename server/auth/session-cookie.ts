/**
 * Where a request carries its next-auth session token, read exactly as next-auth v4's `getToken`
 * reads it (node_modules/next-auth/jwt/index.js and core/lib/cookie.js `SessionStore`), so the
 * API door can find it in a raw `cookie` header without Next's cookie object.
 */
export interface CookiePair {
  name: string;
  value: string;
}

/** next-auth's session cookie name: `__Secure-` prefixed when the site is served over https. */
export const sessionCookieName = (secure: boolean): string =>
  secure ? '__Secure-next-auth.session-token' : 'next-auth.session-token';

/**
 * A `cookie` header as Next's RequestCookies parses it (@edge-runtime/cookies `parseCookie`):
 * pairs split on `; `, values URI-decoded (a pair that does not decode is skipped), a later
 * duplicate replaces an earlier one, a bare name reads as "true".
 */
export function parseCookieHeader(header: string | null | undefined): CookiePair[] {
  const map = new Map<string, string>();
  if (!header) return [];
  for (const pair of header.split(/; */)) {
    if (!pair) continue;
    const splitAt = pair.indexOf('=');
    if (splitAt === -1) {
      map.set(pair, 'true');
      continue;
    }
    try {
      map.set(pair.slice(0, splitAt), decodeURIComponent(pair.slice(splitAt + 1)));
    } catch {
      // next's parser drops a value it cannot decode; so do we.
    }
  }
  return [...map].map(([name, value]) => ({ name, value }));
}

/**
 * The session token: every cookie whose name starts with the session cookie's (a large token is
 * split into `name.0`, `name.1`, …) joined in suffix order; without one, a `Bearer` token in
 * `authorization`. Undefined when the request carries neither (or a bearer that does not decode).
 */
export function sessionTokenOf(
  cookies: readonly CookiePair[],
  authorization: string | null | undefined,
  cookieName: string,
): string | undefined {
  const chunks: Record<string, string> = {};
  for (const { name, value } of cookies) if (name.startsWith(cookieName)) chunks[name] = value;
  const suffix = (name: string) => Number.parseInt(name.split('.').pop() ?? '0');
  // The same comparator as SessionStore's, NaN for the unsuffixed name included, so ties order alike.
  const token = Object.keys(chunks)
    .sort((a, b) => suffix(a) - suffix(b))
    .map((name) => chunks[name])
    .join('');
  if (token) return token;
  if (authorization?.split(' ')[0] !== 'Bearer') return undefined;
  try {
    return decodeURIComponent(authorization.split(' ')[1] as string) || undefined;
  } catch {
    return undefined;
  }
}
