import { userFromCookies } from '../auth/current-user';
import type { SessionUser } from '../auth/session-user';

type Cookie = { name: string; value: string };

/** The cookies of a `Cookie` header, as next-auth's token reader takes them (`getAll`). */
function cookiesOf(header: string | null): { getAll(): Cookie[] } {
  const cookies: Cookie[] = [];
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const raw = part.slice(eq + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // Not percent-encoded after all: taken as it is (Next's cookie reader does the same).
    }
    cookies.push({ name: part.slice(0, eq).trim(), value });
  }
  return { getAll: () => cookies };
}

/**
 * The signed-in user behind a request, as every API door (tRPC, REST) resolves it. The one place
 * a door asks for the session: when session resolution changes, this is the line that follows.
 */
export function sessionUserOf(request: Request): Promise<SessionUser | null> {
  return userFromCookies(cookiesOf(request.headers.get('cookie')), request.headers);
}
