import { randomBytes } from 'node:crypto';
import { users } from '@/db/schema';
import { benchStack, type StackEnv } from '@/scripts/lib/environments';
import { resetStack } from '@/scripts/lib/reset-stack';
import { signSocketToken } from '@/server/auth/socket-token';
import { createPostgres } from '@/server/infra/postgres';
import { openAuthSession } from '@/server/services/account/auth-sessions';

/**
 * A clean, isolated stack for one benchmark run (scripts/lib/reset-stack.ts): a fresh database
 * from the migrated template, an empty Redis db, recreated topics and consumer groups under the
 * `bench.` prefix.
 */
export async function prepareBenchStack(kafkaBrokers: string): Promise<StackEnv> {
  const stack = benchStack(kafkaBrokers);
  await resetStack(stack, 'opendispatch_test_template');
  return stack;
}

/** Dispatcher accounts with open sessions, and a socket token for each. */
export async function dispatcherTokens(stack: StackEnv, count: number): Promise<string[]> {
  const { pool, db } = createPostgres(stack.env.DATABASE_URL!, { max: 2 });
  try {
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const [user] = await db
        .insert(users)
        .values({
          email: `bench-dispatcher-${i}-${randomBytes(3).toString('hex')}@bench.test`,
          name: `Bench dispatcher ${i}`,
          role: 'dispatcher',
          passwordHash: 'not-a-login-account',
        })
        .returning({ id: users.id });
      const sessionId = await openAuthSession(db, user!.id, Date.now());
      const { token } = await signSocketToken(
        { id: user!.id, role: 'dispatcher', sessionId },
        stack.env.SOCKET_TOKEN_SECRET!,
        Date.now(),
        3_600,
      );
      tokens.push(token);
    }
    return tokens;
  } finally {
    await pool.end();
  }
}
