import type { NextRequest } from 'next/server';
import { handleRestRequest } from '@/server/openapi/rest-handler';
import { webDeps } from '@/server/web/deps';
import { sessionUserOf } from '@/server/web/session';

export const dynamic = 'force-dynamic';

/**
 * REST for integrators: each procedure at /api/v1/<router>/<procedure> (server/openapi/rest-handler.ts).
 * Served by the API door (server/web/api-door.ts); this route answers under `next dev` and in-process tests.
 */
function handle(request: NextRequest) {
  const deps = webDeps();
  return handleRestRequest(request, deps, () => sessionUserOf(request, deps));
}

export { handle as GET, handle as POST };
