import type { NextRequest } from 'next/server';
import { ZodError } from 'zod';
import { isDomainError } from '@/domain/errors';
import { rateLimits } from '@/domain/rate-limits';
import { userFromCookies } from '@/server/auth/current-user';
import { isDependencyUnavailable } from '@/server/infra/unavailable';
import { exportAnalyticsCsv } from '@/server/services/analytics/export-csv';
import { webDeps } from '@/server/web/deps';
import { crossSiteRefusal } from '@/server/web/same-origin';

export const dynamic = 'force-dynamic';

const statusFor: Record<string, number> = { INVALID_INPUT: 400, RATE_LIMITED: 429, UNAVAILABLE: 503 };

function problem(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error: { code, message, ...extra } }, { status });
}

/** GET /api/analytics/export?dataset=…&from=…&to=…: one dashboard dataset as CSV, admins only. */
export async function GET(request: NextRequest) {
  const deps = webDeps();
  // A no-op for GET today; kept so a state-changing method added here is defended from the start.
  const refused = crossSiteRefusal(request, deps.env.NEXTAUTH_URL);
  if (refused) return refused;
  try {
    const user = await userFromCookies(request.cookies, request.headers);
    if (!user) return problem(401, 'UNAUTHENTICATED', 'Sign in first');
    if (user.role !== 'admin') return problem(403, 'FORBIDDEN', 'This needs the admin role');
    await deps.rateLimiter.enforce('query', user.id, rateLimits.query, 'requests');
    const query = Object.fromEntries(request.nextUrl.searchParams);
    const { filename, csv } = await exportAnalyticsCsv(deps.postgres.pool, query, deps.clock.now());
    return new Response(csv, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0]!;
      const field = issue.path.join('.') || 'input';
      return problem(400, 'INVALID_INPUT', `${field}: ${issue.message}`, { field });
    }
    if (isDomainError(error) && statusFor[error.code]) {
      const retry = error.details.retryAfterS;
      const response = problem(statusFor[error.code]!, error.code, error.message, {
        field: error.details.field ?? null,
      });
      if (retry) response.headers.set('retry-after', String(retry));
      return response;
    }
    if (isDependencyUnavailable(error)) {
      // A database or Redis outage is not a bug: 503 with Retry-After, as the tRPC door answers.
      deps.logger.warn({ err: error }, 'analytics export: dependency unavailable');
      const response = problem(
        503,
        'UNAVAILABLE',
        'The service is briefly unavailable; try again in a few seconds',
      );
      response.headers.set('retry-after', '5');
      return response;
    }
    deps.logger.error({ err: error }, 'analytics export failed');
    return problem(500, 'INTERNAL', 'Something went wrong on our side');
  }
}
