import type { ExtendedError } from 'socket.io';
import { verifySocketToken } from '../auth/socket-token';
import type { Database } from '../infra/postgres';
import { resolveAuthSession } from '../services/account/auth-sessions';
import type { Clock } from '../services/ports';
import type { RealtimeSocket } from './types';

function refuse(code: string, message: string): ExtendedError {
  const error = new Error(message) as ExtendedError;
  error.data = { code };
  return error;
}

/**
 * Socket.IO middleware: a connection is accepted only with a valid, unexpired socket token
 * whose auth session is still open. Rooms are joined later, each after its own check.
 */
export function socketAuth(deps: { db: Database; clock: Clock; secret: string }) {
  return async (socket: RealtimeSocket, next: (error?: ExtendedError) => void) => {
    const token: unknown = socket.handshake.auth?.token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 4_096) {
      return next(refuse('UNAUTHENTICATED', 'A socket token is required'));
    }
    const now = deps.clock.now();
    let claims: Awaited<ReturnType<typeof verifySocketToken>>;
    try {
      claims = await verifySocketToken(token, deps.secret, now);
    } catch {
      return next(refuse('UNAUTHENTICATED', 'The socket token is invalid or expired'));
    }
    if (claims.kind === 'service') {
      socket.data.principal = {
        userId: `gateway:${claims.name}`,
        role: 'gateway',
        sessionId: '',
        expiresAt: claims.expiresAt,
      };
      return next();
    }
    try {
      const user = await resolveAuthSession(deps.db, claims.sessionId, now);
      if (!user || user.id !== claims.userId || user.role !== claims.role) {
        return next(refuse('UNAUTHENTICATED', 'The session has ended; sign in again'));
      }
    } catch {
      return next(refuse('UNAVAILABLE', 'Cannot check the session right now; retry'));
    }
    socket.data.principal = {
      userId: claims.userId,
      role: claims.role,
      sessionId: claims.sessionId,
      expiresAt: claims.expiresAt,
    };
    next();
  };
}
