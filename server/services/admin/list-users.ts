import { and, count, eq, ilike, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@/db/schema';
import { accountStatuses } from '@/domain/account';
import { roles } from '@/domain/roles';
import type { Database } from '../../infra/postgres';
import { containsPattern, listInput, onePage, pageOf } from './internal/list-params';
import { personColumns, personView } from './internal/person-view';

export const listUsersInput = listInput(['name', 'email', 'role', 'status', 'createdAt']).extend({
  role: z.enum(roles).optional(),
  status: z.enum(accountStatuses).optional(),
});

const sortColumns = {
  name: users.name,
  email: users.email,
  role: users.role,
  status: users.status,
  createdAt: users.createdAt,
} as const;

/** Accounts of any role (riders, staff), searched by name or e-mail. Phones stay encrypted. */
export async function listUsers(db: Database, input: z.infer<typeof listUsersInput>) {
  const where: SQL[] = [];
  if (input.role) where.push(eq(users.role, input.role));
  if (input.status) where.push(eq(users.status, input.status));
  if (input.search) {
    const p = containsPattern(input.search);
    where.push(or(ilike(users.name, p), ilike(users.email, p))!);
  }
  const filter = where.length > 0 ? and(...where) : undefined;
  const [rows, [total]] = await Promise.all([
    onePage(
      db
        .select({ ...personColumns, role: users.role })
        .from(users)
        .where(filter)
        .$dynamic(),
      input,
      sortColumns,
      users.id,
    ),
    db.select({ n: count() }).from(users).where(filter),
  ]);
  return pageOf(input, rows.map(personView), total);
}
