import { type AuditAction, recordAudit } from '../../platform/audit';
import { forgetCachedCatalog } from '../../platform/internal/catalog';
import type { AdminActor, AdminDeps, Tx } from '../deps';
import { conflictOn, violatedUnique } from './field-errors';

/** An audited transaction under way: the transaction, its time, and its audit entry. */
export interface AuditedTx {
  tx: Tx;
  /** When the change happens: the time of its audit entry and of anything it stamps. */
  now: number;
  /** Appends the change's audit entry in its transaction, naming the admin and where they were. */
  audit(
    action: AuditAction,
    subject: { type: string; id: string },
    details: Record<string, unknown>,
  ): Promise<void>;
}

/** Audited changes to what server/services/platform/internal/catalog.ts keeps per process. */
const catalogActions = new Set<AuditAction>(['vehicle_type.changed', 'fare_table.changed']);

/** A unique constraint a concurrent change may win, and what to say on the field it concerns. */
export type DuplicateRefusals = Record<string, [field: string, message: string]>;

/**
 * Runs an admin change (or an audited read) in one transaction, so it and its audit entry commit
 * together or not at all. A unique index violated at commit (two admins racing for the same plate,
 * e-mail or id, after both checked it was free) is refused as a conflict on its field, as the
 * check would have been.
 */
export async function auditedTransaction<T>(
  deps: AdminDeps,
  actor: AdminActor,
  work: (change: AuditedTx) => Promise<T>,
  duplicates: DuplicateRefusals = {},
): Promise<T> {
  const now = deps.clock.now();
  let catalogChanged = false;
  try {
    const result = await deps.db.transaction((tx) =>
      work({
        tx,
        now,
        audit: (action, subject, details) => {
          catalogChanged ||= catalogActions.has(action);
          return recordAudit(tx, { action, actor, ip: actor.ip ?? null, subject, details, at: now });
        },
      }),
    );
    // Quotes and views read types and fares from a per-process copy: this process drops it at
    // once (after commit, so it cannot re-read the old rows); others refresh within seconds.
    if (catalogChanged) forgetCachedCatalog(deps.db);
    return result;
  } catch (error) {
    const constraint = violatedUnique(error);
    const refusal = constraint === undefined ? undefined : duplicates[constraint];
    if (refusal) throw conflictOn(...refusal);
    throw error;
  }
}
