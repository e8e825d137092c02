import type pg from 'pg';
import { FieldCipher } from '../../infra/field-cipher';

/** Every encrypted column: where it lives and which column identifies its row (bound in the AAD). */
export const piiFields = [
  { table: 'users', column: 'phone', idColumn: 'id' },
  { table: 'drivers', column: 'license_number', idColumn: 'user_id' },
] as const;

export interface RotationProgress {
  table: string;
  column: string;
  scanned: number;
  rewritten: number;
}

/**
 * Re-encrypts every personal field under the cipher's current key version, in batches, each row
 * updated only if it still holds the value that was read (a concurrent edit wins). Values already
 * on the current version are left alone, so the command can be re-run after an interruption.
 * Legacy plain-text values (written before encryption) are encrypted. Unreadable values are
 * counted and left untouched for a person to look at, never overwritten.
 */
export async function rotatePiiKeys(
  pool: pg.Pool,
  cipher: FieldCipher,
  onProgress: (p: RotationProgress) => void = () => undefined,
  batchSize = 500,
): Promise<{ rewritten: number; unreadable: number }> {
  let rewritten = 0;
  let unreadable = 0;
  for (const field of piiFields) {
    const progress: RotationProgress = { table: field.table, column: field.column, scanned: 0, rewritten: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const { rows } = await pool.query<{ id: string; value: string }>(
        `select ${field.idColumn}::text as id, ${field.column} as value from ${field.table}
          where ${field.idColumn} > $1 and ${field.column} is not null order by ${field.idColumn} limit $2`,
        [after, batchSize],
      );
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      for (const row of rows) {
        progress.scanned++;
        const at = { table: field.table, column: field.column, rowId: row.id };
        const version = FieldCipher.versionOf(row.value);
        if (version === cipher.currentVersion) continue;
        let plain: string;
        try {
          plain = version === null ? row.value : cipher.decrypt(row.value, at);
        } catch {
          unreadable++;
          continue;
        }
        const result = await pool.query(
          `update ${field.table} set ${field.column} = $1 where ${field.idColumn} = $2 and ${field.column} = $3`,
          [cipher.encrypt(plain, at), row.id, row.value],
        );
        progress.rewritten += result.rowCount ?? 0;
      }
      onProgress({ ...progress });
    }
    rewritten += progress.rewritten;
  }
  return { rewritten, unreadable };
}
