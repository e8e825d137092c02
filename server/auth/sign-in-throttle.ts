import { type RateDecision, rateLimits } from '@/domain/rate-limits';
import type { WebDeps } from '../web/deps';

/**
 * The client's address as our proxy reports it (nginx sets X-Real-IP); without a proxy the header
 * can be forged, so the per-account limit is the one that always holds.
 */
export function clientAddress(headers: Headers): string {
  const real = headers.get('x-real-ip');
  if (real) return real.trim();
  const forwarded = headers.get('x-forwarded-for');
  return forwarded?.split(',').at(-1)?.trim() || 'unknown';
}

/**
 * Counts a sign-in attempt against the client address and the account (by e-mail, so guessing
 * at an account that does not exist is throttled the same way). Null when it may go ahead.
 */
export async function throttleSignIn(
  deps: WebDeps,
  headers: Headers,
  email: string,
): Promise<RateDecision | null> {
  const perIp = await deps.rateLimiter.hit('signin-ip', clientAddress(headers), {
    ...rateLimits.signInPerIp,
    limit: deps.env.SIGNIN_ATTEMPTS_PER_IP,
  });
  if (!perIp.allowed) return perIp;
  const perAccount = await deps.rateLimiter.hit(
    'signin-account',
    email.trim().toLowerCase(),
    rateLimits.signInPerAccount,
  );
  return perAccount.allowed ? null : perAccount;
}
