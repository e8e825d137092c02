import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { authSessions, users } from '@/db/schema';
import type { Logger } from '../infra/logger';
import type { Database } from '../infra/postgres';
import type { RealtimeServer, RealtimeSocket } from './types';

/** How often open sockets are checked against their sessions: revocation reaches them within this. */
export const sessionSweepMs = 30_000;
const chunk = 5_000;

/**
 * Ends every socket whose auth session was revoked (sign-out, password change), expired, whose
 * user was suspended, or whose role changed since it connected. Tokens are short, but ten minutes
 * is too long for a suspended account to keep receiving positions.
 */
export async function sweepSessions(io: RealtimeServer, db: Database, nowMs: number): Promise<number> {
  const bySession = new Map<string, RealtimeSocket[]>();
  for (const socket of io.of('/').sockets.values()) {
    const { principal } = socket.data;
    if (principal.role === 'gateway' || !principal.sessionId) continue;
    const list = bySession.get(principal.sessionId);
    if (list) list.push(socket);
    else bySession.set(principal.sessionId, [socket]);
  }
  const ids = [...bySession.keys()];
  const valid = new Map<string, string>();
  for (let i = 0; i < ids.length; i += chunk) {
    const rows = await db
      .select({ id: authSessions.id, role: users.role })
      .from(authSessions)
      .innerJoin(users, eq(users.id, authSessions.userId))
      .where(
        and(
          inArray(authSessions.id, ids.slice(i, i + chunk)),
          isNull(authSessions.revokedAt),
          gt(authSessions.expiresAt, new Date(nowMs)),
          eq(users.status, 'active'),
        ),
      );
    for (const r of rows) valid.set(r.id, r.role);
  }
  let ended = 0;
  for (const [sessionId, sockets] of bySession) {
    const role = valid.get(sessionId);
    for (const socket of sockets) {
      if (role === socket.data.principal.role) continue;
      socket.emit('session:ended', { reason: role ? 'role_changed' : 'session_revoked' });
      socket.disconnect(true);
      ended++;
    }
  }
  return ended;
}

export function startSessionSweep(
  io: RealtimeServer,
  db: Database,
  now: () => number,
  logger: Logger,
  everyMs = sessionSweepMs,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepSessions(io, db, now())
      .then((ended) => {
        if (ended > 0) logger.info({ ended }, 'ended sockets of revoked sessions');
      })
      .catch((err: unknown) => logger.warn({ err }, 'session sweep failed'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
