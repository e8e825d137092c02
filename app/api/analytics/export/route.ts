import type { NextRequest } from 'next/server';
import { DomainError } from '@/domain/errors';
import { rateLimits } from '@/domain/rate-limits';
import { userFromCookies } from '@/server/auth/current-user';
import { exportAnalyticsCsv } from '@/server/services/analytics/export-csv';
import { webDeps } from '@/server/web/deps';
import { failureResponse } from '@/server/web/problem';
import { crossSiteRefusal } from '@/server/web/same-origin';

export const dynamic = 'force-dynamic';

/** GET /api/analytics/export?dataset=…&from=…&to=…: one dashboard dataset as CSV, admins only. */
export async function GET(request: NextRequest) {
  const deps = webDeps();
  // A no-op for GET today; kept so a state-changing method added here is defended from the start.
  const refused = crossSiteRefusal(request, deps.env.NEXTAUTH_URL);
  if (refused) return refused;
  try {
    const user = await userFromCookies(request.cookies, request.headers);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
    if (user.role !== 'admin') throw new DomainError('FORBIDDEN', 'This needs the admin role');
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
    // The use case parses the query string: its zod errors are the caller's, 400 naming the field.
    return failureResponse(error, deps.logger, { route: 'analytics export' });
  }
}
