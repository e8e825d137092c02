import { and, count, eq, ne, sql } from 'drizzle-orm';
import { users } from '@/db/schema';
import type { Tx } from '../deps';
import { conflictOn } from './field-errors';

/**
 * Serialises every change that can take away an active admin (a role change, a suspension), for
 * the rest of the caller's transaction. Without it two admins demoting or suspending each other at
 * the same moment each see the other still active, both commit, and no admin is left to undo it.
 * A fixed advisory key rather than row locks on all admins: it also covers a user becoming an
 * admin, and such changes are rare enough that one queue costs nothing. Taken before any row lock.
 */
export async function lockAdminChanges(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('opendispatch.admin-roster'))`);
}

/**
 * Refuses (409 on `field`) a change that would leave no active admin: `userId` is an active admin
 * about to stop being one. Call under `lockAdminChanges`, so the count cannot change before commit
 * (each statement under READ COMMITTED sees what the previous holder of the lock committed).
 */
export async function requireAnotherActiveAdmin(
  tx: Tx,
  userId: string,
  field: string,
  what: string,
): Promise<void> {
  const [others] = await tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.status, 'active'), ne(users.id, userId)));
  if ((others?.n ?? 0) === 0) {
    throw conflictOn(field, `this is the last active admin; ${what} would leave nobody to run the platform`);
  }
}
