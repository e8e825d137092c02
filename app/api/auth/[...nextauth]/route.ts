import NextAuth from 'next-auth';
import { DomainError } from '@/domain/errors';
import { authOptions } from '@/server/auth/next-auth-options';
import { clientAddress, throttleSignIn } from '@/server/auth/sign-in-throttle';
import { recordAudit } from '@/server/services/platform/audit';
import { type WebDeps, webDeps } from '@/server/web/deps';
import { logFailure, type Problem, problemHeaders, problemOf } from '@/server/web/problem';
import { crossSiteRefusal } from '@/server/web/same-origin';

export const dynamic = 'force-dynamic';

type Handler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

const nextAuth: Handler = (request, context) =>
  (NextAuth(authOptions()) as unknown as Handler)(request, context);

/**
 * Cross-site posts are refused here (next-auth's own CSRF token is a second line). Password
 * attempts are throttled before next-auth sees them: 429 with Retry-After, and a body next-auth's
 * client understands (`error=RateLimited`), so the form can say so.
 */
const post: Handler = async (request, context) => {
  const deps = webDeps();
  const refused = crossSiteRefusal(request, deps.env.NEXTAUTH_URL);
  if (refused) return refused;
  if (new URL(request.url).pathname.endsWith('/callback/credentials')) {
    try {
      await throttle(request, deps);
    } catch (error) {
      const problem = problemOf(error);
      if (problem.status >= 500) logFailure(deps.logger, error, { route: 'sign-in' });
      return nextAuthRefusal(problem, deps.env.NEXTAUTH_URL);
    }
  }
  return nextAuth(request, context);
};

/** Counts a password attempt; throws RATE_LIMITED (audited) when the client or account is over its limit. */
async function throttle(request: Request, deps: WebDeps): Promise<void> {
  const form = await request
    .clone()
    .formData()
    .catch(() => null);
  const email = String(form?.get('email') ?? '');
  const limited = await throttleSignIn(deps, request.headers, email);
  if (!limited) return;
  deps.logger.warn({ event: 'auth.sign_in_throttled' }, 'sign-in throttled');
  await recordAudit(deps.db, {
    action: 'auth.sign_in_throttled',
    actor: null,
    details: { email: email.toLowerCase().slice(0, 254) },
    ip: clientAddress(request.headers),
    at: deps.clock.now(),
  });
  throw new DomainError('RATE_LIMITED', 'Too many sign-in attempts', { retryAfterS: limited.retryAfterS });
}

/**
 * The problem mapper's status and Retry-After, in the body next-auth's client reads from the
 * credentials callback (`{ url }`, its `error=` parameter saying why).
 */
function nextAuthRefusal(problem: Problem, publicUrl: string): Response {
  const reason = problem.code === 'RATE_LIMITED' ? 'RateLimited' : 'Unavailable';
  return Response.json(
    { url: `${publicUrl}/signin?error=${reason}` },
    { status: problem.status, headers: problemHeaders(problem) },
  );
}

export { nextAuth as GET, post as POST };
