import { and, eq, gt, isNull } from 'drizzle-orm';
import { authSessions, users } from '@/db/schema';
import type { SessionUser } from '../../auth/session-user';
import type { Database } from '../../infra/postgres';

export const authSessionTtlMs = 12 * 3_600_000;

export async function openAuthSession(db: Database, userId: string, nowMs: number): Promise<string> {
  const [row] = await db
    .insert(authSessions)
    .values({ userId, createdAt: new Date(nowMs), expiresAt: new Date(nowMs + authSessionTtlMs) })
    .returning({ id: authSessions.id });
  return row!.id;
}

/**
 * The principal behind an auth session, or null when the session was revoked, has expired or
 * its user was suspended. Called on every request and socket connection: this is what makes
 * logout and suspension immediate.
 */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function resolveAuthSession(
  db: Database,
  sessionId: string,
  nowMs: number,
): Promise<SessionUser | null> {
  if (!uuidPattern.test(sessionId)) return null;
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(
      and(
        eq(authSessions.id, sessionId),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, new Date(nowMs)),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (row.status !== 'active') return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, sessionId };
}

export async function revokeAuthSession(db: Database, sessionId: string, nowMs: number): Promise<void> {
  await db
    .update(authSessions)
    .set({ revokedAt: new Date(nowMs) })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
}
