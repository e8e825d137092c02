import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import type { Role } from '@/domain/roles';
import { authSessionTtlMs, openAuthSession, revokeAuthSession } from '../services/account/auth-sessions';
import { verifyCredentials } from '../services/account/verify-credentials';
import { recordAudit } from '../services/platform/audit';
import { webDeps } from '../web/deps';
import { clientAddress } from './sign-in-throttle';

declare module 'next-auth' {
  interface User {
    role: Role;
    sid: string;
  }
  interface Session {
    user: { id: string; name: string; email: string; role: Role };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    role?: Role;
    /** auth_sessions id: checked on every request, which is what makes sign-out immediate. */
    sid?: string;
  }
}

const signInSchema = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});

let options: AuthOptions | null = null;

/** Built lazily: the secret comes from the validated environment, read only at run time. */
export function authOptions(): AuthOptions {
  if (options) return options;
  const deps = webDeps();
  options = {
    secret: deps.env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: authSessionTtlMs / 1000 },
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: {
          email: { label: 'E-mail', type: 'email' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(credentials, request) {
          const parsed = signInSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const ip = clientAddress(new Headers(request?.headers as Record<string, string> | undefined));
          const now = deps.clock.now();
          const user = await verifyCredentials(deps.db, parsed.data.email, parsed.data.password);
          if (!user) {
            deps.logger.info({ event: 'auth.sign_in_failed' }, 'sign-in failed');
            // The e-mail tried is kept (lower-cased) so an admin can see who is being targeted.
            await recordAudit(deps.db, {
              action: 'auth.sign_in_failed',
              actor: null,
              details: { email: parsed.data.email.toLowerCase() },
              ip,
              at: now,
            });
            return null;
          }
          const sid = await openAuthSession(deps.db, user.id, now);
          deps.logger.info({ event: 'auth.sign_in', userId: user.id, role: user.role }, 'signed in');
          await recordAudit(deps.db, {
            action: 'auth.sign_in',
            actor: { id: user.id, role: user.role },
            subject: { type: 'auth_session', id: sid },
            ip,
            at: now,
          });
          return { id: user.id, name: user.name, email: user.email, role: user.role, sid };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = user.role;
          token.sid = user.sid;
        }
        return token;
      },
      session({ session, token }) {
        // The session id stays inside the encrypted cookie; the browser sees only who it is.
        session.user = {
          id: token.uid ?? '',
          name: token.name ?? '',
          email: token.email ?? '',
          role: token.role ?? 'rider',
        };
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (!token?.sid) return;
        await revokeAuthSession(deps.db, token.sid, deps.clock.now());
        deps.sessions.principals.forgetSession(token.sid);
        await recordAudit(deps.db, {
          action: 'auth.sign_out',
          actor: token.uid && token.role ? { id: token.uid, role: token.role } : null,
          subject: { type: 'auth_session', id: token.sid },
          at: deps.clock.now(),
        });
      },
    },
  };
  return options;
}
