import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { drivers, users } from '@/db/schema';
import { documentStatuses } from '@/domain/fleet';
import type { AdminActor, AdminDeps } from './deps';
import { auditedTransaction } from './internal/audited-transaction';
import { notFoundField } from './internal/field-errors';

export const setDriverDocumentsInput = z
  .object({
    driverId: z.uuid({ error: 'is not a driver id' }),
    status: z.enum(documentStatuses, { error: 'must be pending, verified or rejected' }),
    note: z
      .string()
      .trim()
      .max(500, { error: 'must be at most 500 characters' })
      .transform((n) => (n === '' ? null : n))
      .nullable()
      .default(null),
  })
  // The driver is told why; "rejected" without a reason leaves them nothing to fix.
  .refine((i) => i.status !== 'rejected' || i.note !== null, {
    path: ['note'],
    error: 'say why the documents were rejected',
  });

/**
 * Records the outcome of a document check. Only verified drivers may go on duty; a driver already
 * on duty keeps their shift (suspend them to stop it at once).
 */
export async function setDriverDocuments(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof setDriverDocumentsInput>,
) {
  return auditedTransaction(deps, actor, async ({ tx, audit }) => {
    const [before] = await tx
      .select({ status: drivers.documentStatus, note: drivers.documentNote, role: users.role })
      .from(drivers)
      .innerJoin(users, eq(users.id, drivers.userId))
      .where(eq(drivers.userId, input.driverId))
      .for('update', { of: drivers });
    if (before?.role !== 'driver') throw notFoundField('driverId', 'driver');
    if (before.status === input.status && before.note === input.note) {
      return { driverId: input.driverId, documentStatus: input.status, documentNote: input.note };
    }
    await tx
      .update(drivers)
      .set({ documentStatus: input.status, documentNote: input.note })
      .where(eq(drivers.userId, input.driverId));
    await audit(
      'driver.changed',
      { type: 'user', id: input.driverId },
      { change: 'documents', before: before.status, after: input.status, note: input.note },
    );
    return { driverId: input.driverId, documentStatus: input.status, documentNote: input.note };
  });
}
