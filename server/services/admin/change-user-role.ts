import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { drivers, users } from '@/db/schema';
import { userId } from '@/domain/admin/person-fields';
import { roles } from '@/domain/roles';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { conflictOn, invalidField } from './internal/field-errors';
import { lockAdminChanges, requireAnotherActiveAdmin } from './internal/last-admin';
import { lockUser } from './internal/locked-rows';
import { revokeUserSessions } from './internal/revoke-user-sessions';

export const changeUserRoleInput = z.object({
  userId,
  role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
});

/**
 * Changes what an account may do, and signs it out everywhere in the same transaction, so the
 * next request and the realtime sweep see the new role. Becoming a driver needs a driver record
 * (a licence, documents): that is onboarding, not a role change, unless the user drove before.
 * A driver on duty keeps their role until they are offline. Admins cannot change their own role,
 * and the last active admin keeps theirs (so there is always an admin left to undo a mistake).
 */
export async function changeUserRole(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof changeUserRoleInput>,
) {
  if (input.userId === actor.id) throw conflictOn('userId', 'you cannot change your own role');
  return auditedTransaction(deps, actor, async ({ tx, now, audit }) => {
    await lockAdminChanges(tx);
    // The driver row first (going on duty locks it, then touches the user row through foreign keys:
    // the same order here cannot deadlock with it), so a driver going online now either commits
    // before this reads their availability or waits until the role change commits.
    const [driver] = await tx
      .select({ availability: drivers.availability })
      .from(drivers)
      .where(eq(drivers.userId, input.userId))
      .for('update');
    const user = await lockUser(tx, input.userId);
    if (user.role === input.role) return { id: user.id, role: user.role, revokedSessions: 0 };
    if (input.role === 'driver' && !driver) {
      throw invalidField('role', 'onboard drivers from the Drivers tab: a driver needs a licence on file');
    }
    if (user.role === 'driver' && driver && driver.availability !== 'offline') {
      throw conflictOn(
        'role',
        `this driver is on duty (${driver.availability.replace('_', ' ')}); wait until they are offline`,
      );
    }
    if (user.role === 'admin' && user.status === 'active') {
      await requireAnotherActiveAdmin(tx, user.id, 'role', 'changing their role');
    }
    await tx.update(users).set({ role: input.role }).where(eq(users.id, input.userId));
    const revokedSessions = await revokeUserSessions(tx, input.userId, now);
    await audit(
      'user.role_changed',
      { type: 'user', id: input.userId },
      { before: user.role, after: input.role, revokedSessions },
    );
    return { id: user.id, role: input.role, revokedSessions };
  });
}
