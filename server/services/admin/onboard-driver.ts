import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { drivers, users } from '@/db/schema';
import { email, licenseNumber, newPassword, personName, phone } from '@/domain/admin/person-fields';
import { hashPassword } from '../../auth/password';
import type { FieldCipher } from '../../infra/field-cipher';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { conflictOn } from './internal/field-errors';

export const onboardDriverInput = z.object({
  name: personName,
  email,
  phone,
  licenseNumber,
  /** The first password, given to the driver by the admin; they sign in with it. */
  password: newPassword,
});

/**
 * Creates a driver: a user with the driver role and a driver row whose documents are pending, so
 * they cannot go on duty until an admin verifies them. Phone and licence are encrypted bound to
 * the new row (the id is made here so the cipher can bind to it before the insert).
 */
export async function onboardDriver(
  deps: AdminDeps & { cipher: FieldCipher },
  actor: AdminActor,
  input: z.infer<typeof onboardDriverInput>,
) {
  // argon2 is deliberately slow: hash before the transaction, not while holding locks.
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  return auditedTransaction(
    deps,
    actor,
    async ({ tx, now, audit }) => {
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
      if (taken) throw conflictOn('email', 'an account with this e-mail already exists');
      await tx.insert(users).values({
        id,
        email: input.email,
        name: input.name,
        role: 'driver',
        passwordHash,
        phone: deps.cipher.encrypt(input.phone, { table: 'users', column: 'phone', rowId: id }),
        createdAt: new Date(now),
      });
      await tx.insert(drivers).values({
        userId: id,
        licenseNumber: deps.cipher.encrypt(input.licenseNumber, {
          table: 'drivers',
          column: 'license_number',
          rowId: id,
        }),
        documentStatus: 'pending',
        availabilityChangedAt: new Date(now),
      });
      // No personal values in the log: it is read more widely than the encrypted columns.
      await audit('driver.changed', { type: 'user', id }, { change: 'onboarded', documentStatus: 'pending' });
      return {
        id,
        name: input.name,
        email: input.email,
        role: 'driver' as const,
        documentStatus: 'pending' as const,
      };
    },
    { users_email_key: ['email', 'an account with this e-mail already exists'] },
  );
}
