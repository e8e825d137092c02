import { z } from 'zod';
import { anyVehicleTypeId } from './vehicle-type-fields';

/** Plates are stored upper-case with single spaces or dashes, so "ka 01 ab 1234" finds its duplicate. */
export const plate = z
  .string()
  .trim()
  .toUpperCase()
  .transform((p) => p.replace(/\s+/g, ' '))
  .pipe(
    z.string().regex(/^[A-Z0-9][A-Z0-9 -]{1,14}[A-Z0-9]$/, {
      error: 'use 3–16 letters, digits, spaces or dashes',
    }),
  );

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'is required' })
    .max(max, { error: `must be at most ${max} characters` });

/** Everything an admin types about a vehicle (status and driver have their own use cases). */
export const vehicleFields = z.object({
  plate,
  vehicleTypeId: anyVehicleTypeId,
  make: text(40),
  model: text(40),
  color: text(30),
  /** The database allows 1–20 (vehicles_capacity_check). */
  capacity: z
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(20, { error: 'must be at most 20' }),
});

export type VehicleFields = z.infer<typeof vehicleFields>;
