import { eq } from 'drizzle-orm';
import { users } from '@/db/schema';
import { decoyHash, verifyPassword } from '../../auth/password';
import type { Database } from '../../infra/postgres';

export interface VerifiedUser {
  id: string;
  email: string;
  name: string;
  role: (typeof users.$inferSelect)['role'];
}

/**
 * Returns the user for a correct e-mail and password, else null. The caller shows one generic
 * message for every failure, and unknown e-mails cost a hash verification too, so neither the
 * answer nor its timing says whether an account exists.
 */
export async function verifyCredentials(
  db: Database,
  email: string,
  password: string,
): Promise<VerifiedUser | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  if (!user) {
    await verifyPassword(await decoyHash(), password);
    return null;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || user.status !== 'active') return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
