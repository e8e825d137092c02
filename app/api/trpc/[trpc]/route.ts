import type { NextRequest } from 'next/server';
import { serveTrpc } from '@/server/trpc/http';
import { webDeps } from '@/server/web/deps';
import { sessionUserOf } from '@/server/web/session';

export const dynamic = 'force-dynamic';

/** Served by the API door (server/web/api-door.ts); this route answers under `next dev` and in-process tests. */
function handle(request: NextRequest) {
  const deps = webDeps();
  return serveTrpc(request, deps, () => sessionUserOf(request, deps));
}

export { handle as GET, handle as POST };
