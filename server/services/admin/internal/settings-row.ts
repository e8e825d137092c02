import { eq, sql } from 'drizzle-orm';
import { settings } from '@/db/schema';
import { forgetCachedSettings } from '../../platform/settings';
import type { AdminActor, AdminDeps, Tx } from '../deps';
import { auditedTransaction } from './audited-transaction';

export type SettingKey = 'serviceAreaCells' | 'surge';

/** What a setting change makes of the stored value: the new value, what its audit entry says, the answer. */
export interface SettingChange<R> {
  value: unknown;
  details: Record<string, unknown>;
  result: R;
}

/**
 * Replaces one setting as an audited change: locks it, lets `change` turn what is stored (undefined
 * while at its default) into the new value, and writes the value and its `settings.changed` entry
 * in one transaction. After commit this process's settings cache is dropped, so it quotes with
 * the new value at once; other processes refresh within the settings cache period.
 * (server/services/platform/settings.ts reads outside transactions, hence after commit.)
 */
export async function replaceSetting<R>(
  deps: AdminDeps,
  actor: AdminActor,
  key: SettingKey,
  change: (stored: unknown) => SettingChange<R>,
): Promise<R> {
  const result = await auditedTransaction(deps, actor, async ({ tx, now, audit }) => {
    const next = change(await lockSetting(tx, key));
    await writeSetting(tx, key, next.value, now);
    await audit('settings.changed', { type: 'setting', id: key }, { key, ...next.details });
    return next.result;
  });
  forgetCachedSettings(deps.db);
  return result;
}

/**
 * Reads a setting inside the caller's transaction, holding it until commit, so the audit entry's
 * "before" is what the change really replaced. A row lock alone cannot do that for a setting still
 * at its default (no row yet: two first edits would both record the default as "before"), so
 * writers of one key first take a transaction-scoped advisory lock on its name.
 */
async function lockSetting(tx: Tx, key: SettingKey): Promise<unknown> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`settings:${key}`}))`);
  const [row] = await tx.select().from(settings).where(eq(settings.key, key)).for('update');
  return row?.value;
}

async function writeSetting(tx: Tx, key: SettingKey, value: unknown, nowMs: number): Promise<void> {
  await tx
    .insert(settings)
    .values({ key, value, updatedAt: new Date(nowMs) })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date(nowMs) } });
}
