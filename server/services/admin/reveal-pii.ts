import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { drivers, users } from '@/db/schema';
import { userId } from '@/domain/admin/person-fields';
import { DomainError } from '@/domain/errors';
import { FieldCipher } from '../../infra/field-cipher';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { notFoundField } from './internal/field-errors';

export const revealPiiInput = z.object({
  userId,
  field: z.enum(['phone', 'licenseNumber'], { error: 'must be phone or licenseNumber' }),
});

/**
 * Decrypts one personal field of one person for an admin, on demand. Lists never carry decrypted
 * values; each reveal writes a `pii.viewed` entry in the same transaction as the read, so no
 * value leaves the server without its trace (if the audit write fails, nothing is shown).
 */
export async function revealPii(
  deps: AdminDeps & { cipher: FieldCipher },
  actor: AdminActor,
  input: z.infer<typeof revealPiiInput>,
) {
  const stored = await auditedTransaction(deps, actor, async ({ tx, audit }) => {
    const [row] = await tx
      .select({ phone: users.phone, licenseNumber: drivers.licenseNumber })
      .from(users)
      .leftJoin(drivers, eq(drivers.userId, users.id))
      .where(eq(users.id, input.userId));
    if (!row) throw notFoundField('userId', 'user');
    if (input.field === 'licenseNumber' && row.licenseNumber === null) {
      throw notFoundField('userId', 'driver');
    }
    await audit('pii.viewed', { type: 'user', id: input.userId }, { field: input.field });
    return row[input.field];
  });
  if (stored === null) return { field: input.field, value: null };
  const at =
    input.field === 'phone'
      ? { table: 'users', column: 'phone', rowId: input.userId }
      : { table: 'drivers', column: 'license_number', rowId: input.userId };
  // Values written before encryption are plain text until `npm run pii:rotate` rewrites them.
  if (FieldCipher.versionOf(stored) === null) return { field: input.field, value: stored };
  try {
    return { field: input.field, value: deps.cipher.decrypt(stored, at) };
  } catch {
    throw new DomainError('UNAVAILABLE', 'This value cannot be decrypted with the configured keys');
  }
}
