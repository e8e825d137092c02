import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '@/db/schema';
import { rateLimits } from '@/domain/rate-limits';
import { verifyCredentials } from '@/server/services/account/verify-credentials';
import type { WebDeps } from '@/server/web/deps';
import { createHarness, type Harness } from './support/harness';
import { httpCall, webDepsFor } from './support/trpc';

let h: Harness;
let deps: WebDeps;
beforeAll(async () => {
  h = await createHarness('signup');
  deps = webDepsFor(h);
});
afterAll(() => h?.cleanup());

let address = 0;
/** Each test signs up from its own address, so the per-address limit is the test's own. */
const from = () => ({ 'x-real-ip': `198.51.100.${++address}` });
const person = (email: string) => ({
  email,
  name: 'Asha Rao',
  password: 'a long enough secret',
  phone: '+91 98450 12345',
});

describe('rider sign-up', () => {
  it('creates a rider who can sign in, with the phone encrypted and the event audited', async () => {
    const answer = await httpCall<{ id: string }>(
      deps,
      null,
      'account.signUp',
      person('Asha@Example.test'),
      'mutation',
      from(),
    );
    expect(answer.status, JSON.stringify(answer.error)).toBe(200);
    const [row] = await h.postgres.db.select().from(users).where(eq(users.id, answer.data!.id));
    expect(row).toMatchObject({ email: 'asha@example.test', role: 'rider', status: 'active' });
    expect(row!.phone).not.toContain('98450');
    expect(deps.cipher.decrypt(row!.phone!, { table: 'users', column: 'phone', rowId: row!.id })).toBe(
      '+91 98450 12345',
    );
    expect(await verifyCredentials(h.postgres.db, 'asha@example.test', 'a long enough secret')).toMatchObject(
      {
        role: 'rider',
      },
    );
    const audit = await h.postgres.db.select().from(auditLog).where(eq(auditLog.subjectId, row!.id));
    expect(audit.map((a) => a.action)).toEqual(['user.signed_up']);
  });

  it('names the field that is wrong, and writes nothing', async () => {
    const before = (await h.postgres.db.select().from(users)).length;
    const cases: [object, string, RegExp][] = [
      [{ ...person('x@example.test'), password: 'short' }, 'password', /at least 10 characters/],
      [{ ...person('not an e-mail') }, 'email', /valid e-mail/],
      [{ ...person('y@example.test'), phone: 'call me' }, 'phone', /digits/],
      [{ ...person('z@example.test'), name: '   ' }, 'name', /your name/],
      [{ ...person('w@example.test'), role: 'admin' }, '', /./],
    ];
    for (const [input, field, message] of cases) {
      const answer = await httpCall(deps, null, 'account.signUp', input, 'mutation', from());
      if (field === '') {
        // Unknown keys are stripped: nobody signs themselves up as an admin.
        expect(answer.status).toBe(200);
        const [row] = await h.postgres.db.select().from(users).where(eq(users.email, 'w@example.test'));
        expect(row!.role).toBe('rider');
        continue;
      }
      expect(answer.status).toBe(400);
      expect(answer.error?.data.field).toBe(field);
      expect(answer.error?.message).toMatch(message);
    }
    expect((await h.postgres.db.select().from(users)).length).toBe(before + 1);

    const again = await httpCall(
      deps,
      null,
      'account.signUp',
      person('ASHA@example.test'),
      'mutation',
      from(),
    );
    expect(again.status).toBe(409);
    expect(again.error?.data.field).toBe('email');
  });

  it('allows a few accounts per address per hour, then 429 with Retry-After', async () => {
    const here = from();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        httpCall(deps, null, 'account.signUp', person(`many${i}@example.test`), 'mutation', here),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(rateLimits.signUp.limit);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(12 - rateLimits.signUp.limit);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(60);
  });
});
