import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@/db/schema';
import { accountStatuses } from '@/domain/account';
import { userId } from '@/domain/admin/person-fields';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { conflictOn } from './internal/field-errors';
import { lockAdminChanges, requireAnotherActiveAdmin } from './internal/last-admin';
import { lockUser } from './internal/locked-rows';
import { revokeUserSessions } from './internal/revoke-user-sessions';

export const setUserStatusInput = z.object({
  userId,
  status: z.enum(accountStatuses, { error: 'must be active or suspended' }),
  reason: z.string().trim().max(500, { error: 'must be at most 500 characters' }).default(''),
});

/**
 * Suspends (a driver) or blocks (a rider) an account, or reinstates it. Suspension revokes every
 * open session in the same transaction: the next request is refused, and the realtime sweep ends
 * the user's sockets within its period. A driver on duty drops out of dispatch when their pings
 * stop (the presence sweep takes them offline). Admins cannot suspend themselves, nor the last
 * active admin (two admins suspending each other at once: the second is refused).
 */
export async function setUserStatus(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof setUserStatusInput>,
) {
  if (input.userId === actor.id) throw conflictOn('userId', 'you cannot suspend or reinstate yourself');
  return auditedTransaction(deps, actor, async ({ tx, now, audit }) => {
    await lockAdminChanges(tx);
    const user = await lockUser(tx, input.userId);
    if (user.status === input.status) return { ...user, revokedSessions: 0 };
    if (user.role === 'admin' && input.status === 'suspended') {
      await requireAnotherActiveAdmin(tx, user.id, 'status', 'suspending them');
    }
    await tx.update(users).set({ status: input.status }).where(eq(users.id, input.userId));
    const revokedSessions =
      input.status === 'suspended' ? await revokeUserSessions(tx, input.userId, now) : 0;
    await audit(
      input.status === 'suspended' ? 'user.suspended' : 'user.reinstated',
      { type: 'user', id: input.userId },
      { role: user.role, reason: input.reason || null, revokedSessions },
    );
    return { id: user.id, role: user.role, status: input.status, revokedSessions };
  });
}
