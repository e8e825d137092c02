import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@/db/schema';
import { newPassword, userId } from '@/domain/admin/person-fields';
import { hashPassword } from '../../auth/password';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { notFoundField } from './internal/field-errors';
import { revokeUserSessions } from './internal/revoke-user-sessions';

export const resetUserPasswordInput = z.object({ userId, password: newPassword });

/**
 * Sets a new password for someone who lost theirs (the admin passes it on), and signs them out
 * everywhere: whoever held the old password or a session loses access with the next request.
 */
export async function resetUserPassword(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof resetUserPasswordInput>,
) {
  // argon2 is deliberately slow: hash before the transaction, not while holding the row.
  const passwordHash = await hashPassword(input.password);
  return auditedTransaction(deps, actor, async ({ tx, now, audit }) => {
    const [user] = await tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.id, input.userId))
      .returning({ id: users.id });
    if (!user) throw notFoundField('userId', 'user');
    const revokedSessions = await revokeUserSessions(tx, input.userId, now);
    await audit(
      'user.password_changed',
      { type: 'user', id: input.userId },
      { by: 'admin', revokedSessions },
    );
    return { id: user.id, revokedSessions };
  });
}
