import { eq, sql } from 'drizzle-orm';
import { settings } from '@/db/schema';
import type { Tx } from '../deps';

export type SettingKey = 'serviceAreaCells' | 'surge';

/**
 * Reads a setting inside the caller's transaction, holding it until commit, so the audit entry's
 * "before" is what the change really replaced. A row lock alone cannot do that for a setting still
 * at its default (no row yet: two first edits would both record the default as "before"), so
 * writers of one key first take a transaction-scoped advisory lock on its name.
 * (server/services/platform/settings.ts writes outside transactions; callers must call
 * `forgetCachedSettings` after commit so this process reads the new value at once.)
 */
export async function lockSetting(tx: Tx, key: SettingKey): Promise<unknown> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`settings:${key}`}))`);
  const [row] = await tx.select().from(settings).where(eq(settings.key, key)).for('update');
  return row?.value;
}

export async function writeSetting(tx: Tx, key: SettingKey, value: unknown, nowMs: number): Promise<void> {
  await tx
    .insert(settings)
    .values({ key, value, updatedAt: new Date(nowMs) })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date(nowMs) } });
}
