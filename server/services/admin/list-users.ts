import { and, asc, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@/db/schema';
import { accountStatuses } from '@/domain/account';
import { roles } from '@/domain/roles';
import type { Database } from '../../infra/postgres';
import { containsPattern, listInput, type Page } from './internal/list-params';

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
  const order = input.dir === 'asc' ? asc : desc;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        role: users.role,
        status: users.status,
        phone: users.phone,
        createdAt: users.createdAt,
      })
      .from(users)
      .where(filter)
      .orderBy(order(sortColumns[input.sort]), asc(users.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ n: count() }).from(users).where(filter),
  ]);
  return {
    rows: rows.map(({ phone, ...r }) => ({
      ...r,
      hasPhone: phone !== null,
      createdAt: r.createdAt.getTime(),
    })),
    total: total?.n ?? 0,
    page: input.page,
    pageSize: input.pageSize,
  } satisfies Page<unknown>;
}
