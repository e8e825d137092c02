import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@/db/schema';
import { accountStatuses } from '@/domain/account';
import { roles } from '@/domain/roles';
import type { Database } from '../../infra/postgres';
import { listFilter, listInput, onePage, pageOf } from './internal/list-params';
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
  const filter = listFilter(
    input.search,
    [users.name, users.email],
    input.role && eq(users.role, input.role),
    input.status && eq(users.status, input.status),
  );
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
