import { users } from '@/db/schema';

/** The account columns a person view is made from (select them, then map rows through `personView`). */
export const personColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  status: users.status,
  phone: users.phone,
  createdAt: users.createdAt,
};

/**
 * A person as admin views show them: whether a phone is on file, never the value (it stays
 * encrypted; `revealPii` shows it on demand, and audits it). Times as epoch ms, as tRPC sends JSON.
 */
export function personView<R extends { phone: string | null; createdAt: Date }>(row: R) {
  const { phone, createdAt, ...rest } = row;
  return { ...rest, hasPhone: phone !== null, createdAt: createdAt.getTime() };
}
