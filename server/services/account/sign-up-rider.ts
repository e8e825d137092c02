import { eq } from 'drizzle-orm';
import { users } from '@/db/schema';
import type { SignUpInput } from '@/domain/account';
import { DomainError } from '@/domain/errors';
import { hashPassword } from '../../auth/password';
import type { FieldCipher } from '../../infra/field-cipher';
import type { Database } from '../../infra/postgres';
import { recordAudit } from '../platform/audit';

/**
 * A rider creates their own account (drivers, dispatchers and admins are created by admins). The
 * user row, the encrypted phone and the audit entry commit together; the unique e-mail index
 * decides races. Returns the new user; the caller signs them in.
 */
export async function signUpRider(
  deps: { db: Database; cipher: FieldCipher; clock: { now(): number } },
  input: SignUpInput,
  ip: string | null,
): Promise<{ id: string; email: string; name: string }> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  try {
    return await deps.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email, name: input.name, role: 'rider', passwordHash })
        .returning({ id: users.id, email: users.email, name: users.name });
      if (input.phone) {
        const phone = deps.cipher.encrypt(input.phone, { table: 'users', column: 'phone', rowId: user!.id });
        await tx.update(users).set({ phone }).where(eq(users.id, user!.id));
      }
      await recordAudit(tx, {
        action: 'user.signed_up',
        actor: { id: user!.id, role: 'rider' },
        subject: { type: 'user', id: user!.id },
        ip,
        at: deps.clock.now(),
      });
      return user!;
    });
  } catch (error) {
    const pg =
      (error as { cause?: { code?: string; constraint?: string } }).cause ?? (error as { code?: string });
    if ((pg as { constraint?: string }).constraint === 'users_email_key') {
      throw new DomainError('CONFLICT', 'email: an account with this e-mail exists; sign in instead', {
        field: 'email',
      });
    }
    throw error;
  }
}
