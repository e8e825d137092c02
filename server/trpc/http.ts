import type { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { isDomainError } from '@/domain/errors';
import type { SessionUser } from '../auth/session-user';
import { clientAddress } from '../auth/sign-in-throttle';
import { ensureTracing } from '../infra/tracing';
import { withBoundedBody } from '../web/body-limit';
import type { WebDeps } from '../web/deps';
import { crossSiteRefusal } from '../web/same-origin';
import { mappedTrpcError } from './errors';
import { appRouter } from './routers/app';

/** Seconds a rate-limited or unavailable caller should wait, from the first error that says. */
function retryAfterOf(errors: readonly TRPCError[]): number | undefined {
  for (const error of errors) {
    if (isDomainError(error.cause) && error.cause.details.retryAfterS) return error.cause.details.retryAfterS;
  }
  return undefined;
}

/**
 * tRPC over HTTP, as the API door serves it (and as tests call it): the user is resolved by the
 * caller; a 429 or 503 carries Retry-After.
 */
export async function handleTrpcRequest(
  request: Request,
  deps: WebDeps,
  user: () => Promise<SessionUser | null>,
): Promise<Response> {
  ensureTracing('web', deps.env, deps.logger);
  const bounded = await withBoundedBody(request);
  if (!bounded.ok) {
    // tRPC's own error shape, so clients read it like any other refusal.
    return Response.json(
      {
        error: {
          message: bounded.message,
          code: -32013,
          data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, field: null, issues: null },
        },
      },
      { status: 413 },
    );
  }
  const req = bounded.request;
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: async () => {
      try {
        return { deps, user: await user(), ip: clientAddress(req.headers) };
      } catch (error) {
        // The session lives in PostgreSQL: if it cannot be read, say "unavailable", not "bug".
        throw mappedTrpcError(error) ?? error;
      }
    },
    responseMeta({ errors }) {
      const retryAfter = retryAfterOf(errors);
      return retryAfter ? { headers: new Headers({ 'retry-after': String(retryAfter) }) } : {};
    },
  });
}

/** `/api/trpc/*` as the API door and the Next route serve it: a cross-site change is refused first. */
export function serveTrpc(
  request: Request,
  deps: WebDeps,
  user: () => Promise<SessionUser | null>,
): Promise<Response> {
  const refused = crossSiteRefusal(request, deps.env.NEXTAUTH_URL);
  if (refused) return Promise.resolve(refused);
  return handleTrpcRequest(request, deps, user);
}
