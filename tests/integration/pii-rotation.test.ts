import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, users } from '@/db/schema';
import { FieldCipher } from '@/server/infra/field-cipher';
import { rotatePiiKeys } from '@/server/services/platform/rotate-pii-keys';
import { createDriver, createUser } from './support/fixtures';
import { createHarness, type Harness } from './support/harness';

/** T14 on the database: key rotation rewrites every personal field; swapped rows do not decrypt. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness('pii');
});
afterAll(() => h?.cleanup());

const key = () => randomBytes(32).toString('base64');

describe('personal fields in PostgreSQL', () => {
  it('rotates every value to the new key, leaves nothing readable only by the old one, and can resume', async () => {
    const k1 = key();
    const v1 = FieldCipher.fromSpec(`1:${k1}`);
    const people = await Promise.all(Array.from({ length: 25 }, () => createUser(h.postgres.db, 'rider')));
    for (const [i, p] of people.entries()) {
      // One legacy value written before encryption existed.
      const phone = `+91 90000 ${String(i).padStart(5, '0')}`;
      await h.postgres.db
        .update(users)
        .set({ phone: i === 0 ? phone : v1.encrypt(phone, { table: 'users', column: 'phone', rowId: p.id }) })
        .where(eq(users.id, p.id));
    }
    const d = await createDriver(h.postgres.db); // written with the processes' default key

    const k2 = key();
    const v2 = FieldCipher.fromSpec(`1:${k1},2:${k2}`);
    const progress: number[] = [];
    const first = await rotatePiiKeys(h.postgres.pool, v2, (p) => progress.push(p.scanned), 10);
    // The driver's licence was written under another key (the dev default), so it is unreadable here.
    expect(first).toEqual({ rewritten: 25, unreadable: 1 });
    expect(progress.length).toBeGreaterThan(2);
    expect(await rotatePiiKeys(h.postgres.pool, v2)).toEqual({ rewritten: 0, unreadable: 1 });

    const only2 = FieldCipher.fromSpec(`2:${k2}`);
    for (const [i, p] of people.entries()) {
      const [row] = await h.postgres.db.select({ phone: users.phone }).from(users).where(eq(users.id, p.id));
      expect(FieldCipher.versionOf(row!.phone!)).toBe(2);
      expect(only2.decrypt(row!.phone!, { table: 'users', column: 'phone', rowId: p.id })).toBe(
        `+91 90000 ${String(i).padStart(5, '0')}`,
      );
    }
    const [licence] = await h.postgres.db
      .select({ value: drivers.licenseNumber })
      .from(drivers)
      .where(eq(drivers.userId, d.id));
    expect(FieldCipher.versionOf(licence!.value)).toBe(1);
  });

  it('refuses a phone number swapped in from another row', async () => {
    const cipher = FieldCipher.fromSpec(`1:${key()}`);
    const [a, b] = await Promise.all([
      createUser(h.postgres.db, 'rider'),
      createUser(h.postgres.db, 'rider'),
    ]);
    const phoneA = cipher.encrypt('+91 91111 11111', { table: 'users', column: 'phone', rowId: a.id });
    // An attacker with write access copies A's ciphertext into B's row to read it as B.
    await h.postgres.db.update(users).set({ phone: phoneA }).where(eq(users.id, b.id));
    const [row] = await h.postgres.db.select({ phone: users.phone }).from(users).where(eq(users.id, b.id));
    expect(() => cipher.decrypt(row!.phone!, { table: 'users', column: 'phone', rowId: b.id })).toThrow(
      /tampered, moved or wrong key/,
    );
  });
});
