import { loadEnv, workersEnvSchema } from '@/server/env';
import { FieldCipher } from '@/server/infra/field-cipher';
import { createPostgres } from '@/server/infra/postgres';
import { rotatePiiKeys } from '@/server/services/platform/rotate-pii-keys';
import { log } from './lib/log';

/**
 * `npm run pii:rotate`: re-encrypts every personal field under the newest key in PII_KEYS.
 * Rotation: add a new `version:key` pair to PII_KEYS everywhere, restart, run this, then remove the
 * old pair. Safe to re-run; prints progress per batch.
 */
const env = loadEnv(workersEnvSchema);
const cipher = FieldCipher.fromSpec(env.PII_KEYS);
const postgres = createPostgres(env.DATABASE_URL, { max: 2, applicationName: 'opendispatch-pii-rotate' });
log.step(`re-encrypting personal fields under key version ${cipher.currentVersion}`);
const result = await rotatePiiKeys(postgres.pool, cipher, (p) =>
  log.info(`  ${p.table}.${p.column}: ${p.scanned} scanned, ${p.rewritten} re-encrypted`),
);
await postgres.pool.end();
if (result.unreadable > 0) {
  log.fail(
    `${result.rewritten} re-encrypted; ${result.unreadable} could not be decrypted with any key (left as they were)`,
  );
  process.exit(1);
}
log.ok(
  `${result.rewritten} values re-encrypted; every personal field is on key version ${cipher.currentVersion}`,
);
