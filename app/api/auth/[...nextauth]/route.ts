import NextAuth from 'next-auth';
import { authOptions } from '@/server/auth/next-auth-options';

export const dynamic = 'force-dynamic';

type Handler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

const handle: Handler = (request, context) =>
  (NextAuth(authOptions()) as unknown as Handler)(request, context);

export { handle as GET, handle as POST };
