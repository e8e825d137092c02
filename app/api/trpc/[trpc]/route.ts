import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { NextRequest } from 'next/server';
import { userFromCookies } from '@/server/auth/current-user';
import { appRouter } from '@/server/trpc/routers/app';
import { webDeps } from '@/server/web/deps';

export const dynamic = 'force-dynamic';

function handle(request: NextRequest) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: async () => ({
      deps: webDeps(),
      user: await userFromCookies(request.cookies, request.headers),
    }),
  });
}

export { handle as GET, handle as POST };
