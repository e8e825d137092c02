import { TRPCError } from '@trpc/server';
import type { ErrorCode } from '@/domain/errors';
import { domainErrorOf, httpOf } from '../web/problem';

type TrpcCode = TRPCError['code'];

/** A DomainError code as a tRPC (and so HTTP) code: the name server/web/problem.ts gives its status. */
export const trpcCodeFor = (code: ErrorCode): TrpcCode => httpOf[code].name;

/**
 * The tRPC door's use of the problem mapper: a DomainError, or an outage anywhere in the cause chain
 * (then a 503 DomainError carrying Retry-After), as the TRPCError it is answered with; null for
 * everything else, which tRPC answers itself (its own refusals; input zod failures as 400; bugs as
 * a 500 without internals, see init.ts).
 */
export function mappedTrpcError(error: unknown): TRPCError | null {
  const domain = domainErrorOf(error);
  return domain
    ? new TRPCError({ code: trpcCodeFor(domain.code), message: domain.message, cause: domain })
    : null;
}
