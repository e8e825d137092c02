import type { TRPCError } from '@trpc/server';
import type { ErrorCode } from '@/domain/errors';

type TrpcCode = TRPCError['code'];

/** The one place a DomainError code becomes a tRPC (and so HTTP) code. */
export const trpcCodeFor: Record<ErrorCode, TrpcCode> = {
  INVALID_INPUT: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID_TRANSITION: 'CONFLICT',
  UNPROCESSABLE: 'UNPROCESSABLE_CONTENT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};
