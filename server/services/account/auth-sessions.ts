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

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An open session's principal and when the session ends. */
export interface OpenAuthSession {
  user: SessionUser;
  expiresAt: number;
}

/**
 * The principal behind an auth session and when it ends, or null when the session was revoked,
 * has expired or its user was suspended. Per-process caches (server/auth/session-principals.ts)
 * call it once per session and are told by PostgreSQL when the answer changes (ADR 0016).
 */
export async function loadAuthSession(
  db: Database,
  sessionId: string,
  nowMs: number,
): Promise<OpenAuthSession | null> {
  if (!uuidPattern.test(sessionId)) return null;
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      status: users.status,
      expiresAt: authSessions.expiresAt,
    })
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
  return {
    user: { id: row.id, email: row.email, name: row.name, role: row.role, sessionId },
    expiresAt: row.expiresAt.getTime(),
  };
}

/** The principal behind an auth session, read from PostgreSQL now (null: revoked, expired, suspended). */
export async function resolveAuthSession(
  db: Database,
  sessionId: string,
  nowMs: number,
): Promise<SessionUser | null> {
  return (await loadAuthSession(db, sessionId, nowMs))?.user ?? null;
}

export async function revokeAuthSession(db: Database, sessionId: string, nowMs: number): Promise<void> {
  await db
    .update(authSessions)
    .set({ revokedAt: new Date(nowMs) })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
}
