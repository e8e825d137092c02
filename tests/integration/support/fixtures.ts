import { randomBytes } from 'node:crypto';
import { drivers, users, vehicles } from '@/db/schema';
import { ensureVehicleTypes } from '@/db/seed';
import type { Role } from '@/domain/roles';
import { hashPassword } from '@/server/auth/password';
import { devPiiKeys, FieldCipher } from '@/server/infra/field-cipher';
import type { Database } from '@/server/infra/postgres';

export const fixturePassword = 'correct horse battery';
/** The processes' default (development) key: what tests' workers and web deps decrypt with. */
export const fixtureCipher = FieldCipher.fromSpec(devPiiKeys);
let hashed: Promise<string> | null = null;
const passwordHash = () => (hashed ??= hashPassword(fixturePassword));

export { ensureVehicleTypes };

export async function createUser(
  db: Database,
  role: Role,
  name = `${role} ${randomBytes(2).toString('hex')}`,
) {
  const [user] = await db
    .insert(users)
    .values({
      email: `${role}-${randomBytes(6).toString('hex')}@it.test`,
      name,
      role,
      passwordHash: await passwordHash(),
    })
    .returning();
  return user!;
}

/** A driver with an active vehicle of the given type (or none). */
export async function createDriver(db: Database, options: { vehicleTypeId?: string | null } = {}) {
  await ensureVehicleTypes(db);
  const user = await createUser(db, 'driver');
  await db.insert(drivers).values({
    userId: user.id,
    licenseNumber: fixtureCipher.encrypt(`LIC-${randomBytes(4).toString('hex')}`, {
      table: 'drivers',
      column: 'license_number',
      rowId: user.id,
    }),
  });
  const vehicleTypeId = options.vehicleTypeId === undefined ? 'economy' : options.vehicleTypeId;
  let vehicleId: string | null = null;
  if (vehicleTypeId) {
    const [v] = await db
      .insert(vehicles)
      .values({
        plate: `IT-${randomBytes(4).toString('hex').toUpperCase()}`,
        vehicleTypeId,
        make: 'Test',
        model: 'Car',
        color: 'Grey',
        capacity: 4,
        driverId: user.id,
      })
      .returning({ id: vehicles.id });
    vehicleId = v!.id;
  }
  return { ...user, driverId: user.id, vehicleId, vehicleTypeId };
}

/** Many riders at once (one insert), for load and race tests. */
export async function createRiders(db: Database, count: number) {
  const hash = await passwordHash();
  const rows = Array.from({ length: count }, (_, i) => ({
    email: `rider-${i}-${randomBytes(6).toString('hex')}@it.test`,
    name: `Rider ${i}`,
    role: 'rider' as const,
    passwordHash: hash,
  }));
  const created = [];
  for (let i = 0; i < rows.length; i += 500) {
    created.push(
      ...(await db
        .insert(users)
        .values(rows.slice(i, i + 500))
        .returning()),
    );
  }
  return created;
}
