import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError, z } from 'zod';
import { isDomainError } from '@/domain/errors';
import { type RateLimitName, rateLimits } from '@/domain/rate-limits';
import type { Role } from '@/domain/roles';
import { spanWanted, tracerFor } from '../infra/trace-context';
import { describeZodError, internalMessage, logFailure } from '../web/problem';
import type { TrpcContext } from './context';
import { mappedTrpcError } from './errors';

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const invalid = cause instanceof ZodError ? describeZodError(cause) : undefined;
    const domainDetails = isDomainError(cause) ? cause.details : undefined;
    return {
      ...shape,
      // Internal failures never leak their message or stack; invalid input names its field.
      message: error.code === 'INTERNAL_SERVER_ERROR' ? internalMessage : (invalid?.message ?? shape.message),
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        field: invalid ? invalid.field : (domainDetails?.field ?? null),
        issues: invalid?.issues ?? null,
      },
    };
  },
});

/** Maps DomainError to its tRPC code and logs anything unexpected, once, for every procedure. */
const errorMapping = t.middleware(async ({ ctx, next, path }) => {
  const stop = ctx.deps.metrics.requestSeconds.startTimer({ procedure: path });
  const result = await next().finally(() => stop());
  ctx.deps.metrics.requests.inc({ procedure: path, result: result.ok ? 'ok' : outcomeOf(result.error) });
  if (!result.ok) {
    const cause = result.error.cause ?? result.error;
    const mapped = mappedTrpcError(cause);
    if (mapped || result.error.code === 'INTERNAL_SERVER_ERROR') logFailure(ctx.deps.logger, cause, { path });
    if (mapped) throw mapped;
  }
  return result;
});

/** The code the caller will see: a DomainError's mapped code, 503 for outages, else tRPC's. */
function outcomeOf(error: TRPCError): string {
  return mappedTrpcError(error.cause ?? error)?.code ?? error.code;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
const tracer = tracerFor('web');

/**
 * A span per procedure call (`trpc <path>`), outermost so everything below runs inside it: rate
 * limits, the use case, its outbox rows and job data (which carry the trace on), and the logs.
 * Only when someone can see it: without an exporter, or at sampling 0, a call makes no span, no
 * attributes and no active context (ADR 0016).
 */
const traced = t.middleware(({ ctx, next, path, type }) => {
  if (!spanWanted('web')) return next().then((result) => logged(ctx, path, result));
  return tracer.startActiveSpan(
    `trpc ${path}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'rpc.system': 'trpc',
        'trpc.procedure': path,
        'trpc.type': type,
        'user.role': ctx.user?.role ?? 'anonymous',
      },
    },
    async (span) => {
      try {
        const result = await next();
        const outcome = result.ok ? 'ok' : result.error.code;
        span.setAttribute('trpc.result', outcome);
        if (!result.ok && getHTTPStatusCodeFromError(result.error) >= 500)
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        return logged(ctx, path, result);
      } finally {
        span.end();
      }
    },
  );
});

/** With LOG_LEVEL=debug, every call is a line (carrying its trace id when traced; free at info). */
function logged<R extends { ok: boolean; error?: TRPCError }>(ctx: TrpcContext, path: string, result: R): R {
  ctx.deps.logger.debug({ procedure: path, result: result.ok ? 'ok' : result.error?.code }, 'trpc call');
  return result;
}

/**
 * PostgreSQL text cannot hold NUL (U+0000): a string carrying one would fail in the database as a
 * 500 (T10 found it in free-text fields). Refused for every procedure as a zod issue would be:
 * 400 naming the field.
 */
const noNulInput = t.middleware(async ({ getRawInput, next }) => {
  // A body that does not parse is left to tRPC, as before (procedures without input ignore it).
  const path = nulPath(await getRawInput().catch(() => undefined));
  if (path) {
    // Made by a parse, as zod's own errors are (a hand-built ZodError is not an Error: tRPC drops it).
    const refused = z.unknown().refine(() => false, { error: 'must not contain a NUL character', path });
    const cause = refused.safeParse(null).error!;
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.issues[0]!.message, cause });
  }
  return next();
});

/** Where the first NUL is, in a string or a key (null: none). Deeper than any schema goes is zod's. */
function nulPath(value: unknown, at: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at : null;
  if (value === null || typeof value !== 'object' || at.length > 32) return null;
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...at, key];
    const found = nulPath(v, [...at, Array.isArray(value) ? Number(key) : key]);
    if (found) return found;
  }
  return null;
}

export const publicProcedure = t.procedure.use(traced).use(errorMapping).use(noNulInput);

/** Procedures with their own limit; every other one counts against the per-user query or mutation limit. */
const procedureLimits: Partial<Record<string, RateLimitName>> = {
  'pricing.quote': 'quote',
};

export const authedProcedure = publicProcedure.use(async ({ ctx, next, path, type }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  const name = procedureLimits[path] ?? (type === 'query' ? 'query' : 'mutation');
  await ctx.deps.rateLimiter.enforce(name, ctx.user.id, rateLimits[name], 'requests');
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Role check on the server for every procedure; ownership is checked inside the use case. */
export function roleProcedure(...allowed: Role[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!allowed.includes(ctx.user.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${allowed.join(' or ')} role` });
    }
    return next({ ctx });
  });
}
