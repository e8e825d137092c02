import NextAuth from 'next-auth';
import { authOptions } from '@/server/auth/next-auth-options';
import { clientAddress, throttleSignIn } from '@/server/auth/sign-in-throttle';
import { recordAudit } from '@/server/services/platform/audit';
import { webDeps } from '@/server/web/deps';
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
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    const limited = await throttleSignIn(deps, request.headers, String(form?.get('email') ?? ''));
    if (limited) {
      deps.logger.warn({ event: 'auth.sign_in_throttled' }, 'sign-in throttled');
      await recordAudit(deps.db, {
        action: 'auth.sign_in_throttled',
        actor: null,
        details: {
          email: String(form?.get('email') ?? '')
            .toLowerCase()
            .slice(0, 254),
        },
        ip: clientAddress(request.headers),
        at: deps.clock.now(),
      });
      return Response.json(
        { url: `${deps.env.NEXTAUTH_URL}/signin?error=RateLimited` },
        { status: 429, headers: { 'retry-after': String(limited.retryAfterS) } },
      );
    }
  }
  return nextAuth(request, context);
};

export { nextAuth as GET, post as POST };
