import type { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { isDomainError } from '@/domain/errors';
import type { SessionUser } from '../auth/session-user';
import type { WebDeps } from '../web/deps';
import { appRouter } from './routers/app';

/** Seconds a rate-limited or unavailable caller should wait, from the first error that says. */
function retryAfterOf(errors: readonly TRPCError[]): number | undefined {
  for (const error of errors) {
    if (isDomainError(error.cause) && error.cause.details.retryAfterS) return error.cause.details.retryAfterS;
  }
  return undefined;
}

/**
 * tRPC over HTTP, as the Next route serves it (and as tests call it): the user is resolved by the
 * caller; a 429 or 503 carries Retry-After.
 */
export function handleTrpcRequest(
  req: Request,
  deps: WebDeps,
  user: () => Promise<SessionUser | null>,
): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: async () => ({ deps, user: await user() }),
    responseMeta({ errors }) {
      const retryAfter = retryAfterOf(errors);
      return retryAfter ? { headers: new Headers({ 'retry-after': String(retryAfter) }) } : {};
    },
  });
}
