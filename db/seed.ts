import { fileURLToPath } from 'node:url';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { hashPassword } from '@/server/auth/password';
import { devPiiKeys, FieldCipher } from '@/server/infra/field-cipher';
import { createPostgres, type Database } from '@/server/infra/postgres';
import {
  type DemoAccount,
  demoAccounts,
  demoPassword,
  demoVehicle,
  fareTableRows,
  simDriverAccount,
  simRiderAccount,
  vehicleTypeRows,
} from './demo-data';
import { drivers, fareTables, users, vehicles, vehicleTypes } from './schema';

export const defaultSimDrivers = 100;
export const defaultSimRiders = 40;

/** The vehicle types and their fare tables, each inserted once (the demo and the tests share them). */
export async function ensureVehicleTypes(db: Database): Promise<void> {
  await db
    .insert(vehicleTypes)
    .values([...vehicleTypeRows])
    .onConflictDoNothing();
  await db
    .insert(fareTables)
    .values([...fareTableRows])
    .onConflictDoNothing();
}

/**
 * Inserts the demo city's accounts, vehicle types and vehicles. Idempotent: existing rows are
 * left as they are, so it runs on every `npm run up`.
 */
export async function seedDemoData(
  db: Database,
  options: { simDrivers?: number; simRiders?: number; cipher?: FieldCipher } = {},
): Promise<{ created: number }> {
  const cipher = options.cipher ?? FieldCipher.fromSpec(process.env.PII_KEYS || devPiiKeys);
  const sims = [
    ...Array.from({ length: options.simDrivers ?? defaultSimDrivers }, (_, i) => simDriverAccount(i)),
    ...Array.from({ length: options.simRiders ?? defaultSimRiders }, (_, i) => simRiderAccount(i)),
  ];
  const accounts: DemoAccount[] = [...demoAccounts, ...sims];
  await ensureVehicleTypes(db);

  const existing = new Set(
    (
      await db
        .select({ email: users.email })
        .from(users)
        .where(
          inArray(
            users.email,
            accounts.map((a) => a.email),
          ),
        )
    ).map((r) => r.email),
  );
  const missing = accounts.filter((a) => !existing.has(a.email));
  // One hash for the shared demo password: argon2 is deliberately slow, and these are demo accounts.
  const passwordHash = missing.length > 0 ? await hashPassword(demoPassword) : '';
  if (missing.length > 0) {
    await db
      .insert(users)
      .values(missing.map((a) => ({ email: a.email, name: a.name, role: a.role, passwordHash })))
      .onConflictDoNothing();
  }

  const driverAccounts = accounts.filter((a) => a.role === 'driver');
  const driverRows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      inArray(
        users.email,
        driverAccounts.map((a) => a.email),
      ),
    );
  const idByEmail = new Map(driverRows.map((r) => [r.email, r.id]));
  await db
    .insert(drivers)
    .values(
      driverAccounts.map((a, i) => {
        const userId = idByEmail.get(a.email)!;
        return {
          userId,
          licenseNumber: cipher.encrypt(`KA01-2020-${String(100000 + i)}`, {
            table: 'drivers',
            column: 'license_number',
            rowId: userId,
          }),
        };
      }),
    )
    .onConflictDoNothing();
  // Phone numbers, encrypted and bound to their row, for the accounts created now.
  const created = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      and(
        inArray(
          users.email,
          missing.map((a) => a.email),
        ),
        isNull(users.phone),
      ),
    );
  for (const [i, u] of created.entries()) {
    const phone = `+91 98${String(45_000_000 + i).padStart(8, '0')}`;
    await db
      .update(users)
      .set({ phone: cipher.encrypt(phone, { table: 'users', column: 'phone', rowId: u.id }) })
      .where(eq(users.id, u.id));
  }
  await db
    .insert(vehicles)
    .values(driverAccounts.map((a, i) => ({ ...demoVehicle(i), driverId: idByEmail.get(a.email)! })))
    .onConflictDoNothing();
  return { created: missing.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/opendispatch_dev';
  const { pool, db } = createPostgres(url, { max: 2 });
  const { created } = await seedDemoData(db, {
    simDrivers: Number(process.env.SEED_SIM_DRIVERS ?? defaultSimDrivers),
    simRiders: Number(process.env.SEED_SIM_RIDERS ?? defaultSimRiders),
  });
  console.log(`seeded ${new URL(url).pathname.slice(1)}: ${created} new accounts`);
  await pool.end();
}
