import type { NextRequest } from 'next/server';
import { userFromCookies } from '@/server/auth/current-user';
import { handleTrpcRequest } from '@/server/trpc/http';
import { webDeps } from '@/server/web/deps';
import { crossSiteRefusal } from '@/server/web/same-origin';

export const dynamic = 'force-dynamic';

function handle(request: NextRequest) {
  const deps = webDeps();
  const refused = crossSiteRefusal(request, deps.env.NEXTAUTH_URL);
  if (refused) return refused;
  return handleTrpcRequest(request, deps, () => userFromCookies(request.cookies, request.headers));
}

export { handle as GET, handle as POST };
