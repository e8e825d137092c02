import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@/db/schema';
import { auditActions } from '@/domain/audit-actions';
import type { Database } from '../../infra/postgres';
import { listAudit } from '../platform/audit';

export const listAuditInput = z.object({
  action: z.enum(auditActions, { error: 'is not an audited action' }).optional(),
  actorId: z.uuid({ error: 'is not a user id' }).optional(),
  /** A user, vehicle or setting id (vehicle type ids are not uuids). */
  subjectId: z.string().trim().min(1).max(64).optional(),
  /** Epoch ms, before the year 10000 (later instants have no ISO form PostgreSQL reads: a 500). */
  since: z.int().min(0).max(253_402_300_799_999, { error: 'is not a time' }).optional(),
  /** Keyset paging: the `nextBeforeId` of the previous page. */
  beforeId: z.int().min(1).optional(),
});

/** Audit entries, newest first, 100 a page (server/services/platform/audit.ts), with the actors' and subjects' names. */
export async function listAuditEntries(db: Database, input: z.infer<typeof listAuditInput>) {
  const page = await listAudit(db, input);
  const ids = new Set<string>();
  for (const e of page.entries) {
    if (e.actorId) ids.add(e.actorId);
    if (e.subjectType === 'user' && e.subjectId) ids.add(e.subjectId);
  }
  const names = new Map(
    ids.size === 0
      ? []
      : (
          await db
            .select({ id: users.id, name: users.name })
            .from(users)
            .where(inArray(users.id, [...ids]))
        ).map((u) => [u.id, u.name]),
  );
  return {
    entries: page.entries.map((e) => ({
      ...e,
      actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
      subjectName: e.subjectType === 'user' && e.subjectId ? (names.get(e.subjectId) ?? null) : null,
    })),
    nextBeforeId: page.nextBeforeId,
  };
}
