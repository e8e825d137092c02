import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { auditLog } from '@/db/schema';
import type { AuditAction } from '@/domain/audit-actions';
import type { Database } from '../../infra/postgres';

// Re-exported for callers that record entries (and their tests) without reaching into domain/.
export type { AuditAction };

export interface AuditEntry {
  action: AuditAction;
  actor: { id: string; role: string } | null;
  subject?: { type: string; id: string };
  details?: Record<string, unknown>;
  ip?: string | null;
  at: number;
}

/** Appends one entry. Pass the caller's transaction so the entry commits with the change it records. */
export async function recordAudit(db: Pick<Database, 'insert'>, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    at: new Date(entry.at),
    actorId: entry.actor?.id ?? null,
    actorRole: entry.actor?.role ?? null,
    action: entry.action,
    subjectType: entry.subject?.type ?? null,
    subjectId: entry.subject?.id ?? null,
    details: entry.details ?? {},
    ip: entry.ip ?? null,
  });
}

export const auditPageSize = 100;

/** Newest first, optionally one action, one actor or one subject, keyset-paged by id. */
export async function listAudit(
  db: Database,
  filter: { action?: AuditAction; actorId?: string; subjectId?: string; since?: number; beforeId?: number },
) {
  const where: SQL[] = [];
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.actorId) where.push(eq(auditLog.actorId, filter.actorId));
  if (filter.subjectId) where.push(eq(auditLog.subjectId, filter.subjectId));
  if (filter.since) where.push(gte(auditLog.at, new Date(filter.since)));
  if (filter.beforeId) where.push(lt(auditLog.id, filter.beforeId));
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(auditPageSize + 1);
  return {
    entries: rows.slice(0, auditPageSize).map((r) => ({ ...r, at: r.at.getTime() })),
    nextBeforeId: rows.length > auditPageSize ? rows[auditPageSize - 1]!.id : null,
  };
}
