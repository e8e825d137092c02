import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { drivers, users } from '@/db/schema';
import { roles } from '@/domain/roles';
import { recordAudit } from '../audit';
import type { AdminActor, AdminDeps } from './deps';
import { conflictOn, invalidField, notFoundField } from './field-errors';
import { userId } from './person-fields';
import { revokeUserSessions } from './revoke-user-sessions';

export const changeUserRoleInput = z.object({
  userId,
  role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
});

/**
 * Changes what an account may do, and signs it out everywhere in the same transaction, so the
 * next request and the realtime sweep see the new role. Becoming a driver needs a driver record
 * (a licence, documents): that is onboarding, not a role change, unless the user drove before.
 * A driver on duty keeps their role until they are offline. Admins cannot change their own role
 * (so there is always an admin left to undo a mistake).
 */
export async function changeUserRole(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof changeUserRoleInput>,
) {
  const now = deps.clock.now();
  if (input.userId === actor.id) throw conflictOn('userId', 'you cannot change your own role');
  return deps.db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, role: users.role, availability: drivers.availability })
      .from(users)
      .leftJoin(drivers, eq(drivers.userId, users.id))
      .where(eq(users.id, input.userId))
      .for('update', { of: users });
    if (!user) throw notFoundField('userId', 'user');
    if (user.role === input.role) return { id: user.id, role: user.role, revokedSessions: 0 };
    if (input.role === 'driver' && user.availability === null) {
      throw invalidField('role', 'onboard drivers from the Drivers tab: a driver needs a licence on file');
    }
    if (user.role === 'driver' && user.availability !== null && user.availability !== 'offline') {
      throw conflictOn(
        'role',
        `this driver is on duty (${user.availability.replace('_', ' ')}); wait until they are offline`,
      );
    }
    await tx.update(users).set({ role: input.role }).where(eq(users.id, input.userId));
    const revokedSessions = await revokeUserSessions(tx, input.userId, now);
    await recordAudit(tx, {
      action: 'user.role_changed',
      actor,
      ip: actor.ip ?? null,
      subject: { type: 'user', id: input.userId },
      details: { before: user.role, after: input.role, revokedSessions },
      at: now,
    });
    return { id: user.id, role: input.role, revokedSessions };
  });
}
