import { and, eq, gt, isNull } from 'drizzle-orm';
import { authSessions } from '@/db/schema';
import type { Tx } from '../deps';

/**
 * Ends every open sign-in of a user, inside the caller's transaction. Each request re-checks its
 * session row, so the next one is refused; the realtime sweep closes the user's sockets within its
 * period (30 s). Returns how many sessions were open.
 */
export async function revokeUserSessions(tx: Tx, userId: string, nowMs: number): Promise<number> {
  const revoked = await tx
    .update(authSessions)
    .set({ revokedAt: new Date(nowMs) })
    .where(
      and(
        eq(authSessions.userId, userId),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, new Date(nowMs)),
      ),
    )
    .returning({ id: authSessions.id });
  return revoked.length;
}
