import { cookies, headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import type { Role } from '@/domain/roles';
import { userFromCookies } from '../auth/current-user';
import type { SessionUser } from '../auth/session-user';

export async function currentUser(): Promise<SessionUser | null> {
  return userFromCookies(await cookies(), await headers());
}

/**
 * Every protected page calls this on the server: no session → sign-in page;
 * wrong role → 403. The Next proxy is never the only check.
 */
export async function requireRole(allowed: readonly Role[], returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!allowed.includes(user.role)) forbidden();
  return user;
}
