import type { NextRequest } from 'next/server';
import { userFromCookies } from '@/server/auth/current-user';
import { handleRestRequest } from '@/server/openapi/rest-handler';
import { webDeps } from '@/server/web/deps';

export const dynamic = 'force-dynamic';

/** REST for integrators: each procedure at /api/v1/<router>/<procedure> (server/openapi/rest-handler.ts). */
function handle(request: NextRequest) {
  return handleRestRequest(request, webDeps(), () => userFromCookies(request.cookies, request.headers));
}

export { handle as GET, handle as POST };
