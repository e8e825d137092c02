import { z } from 'zod';
import { requiredText } from './text-fields';
import { anyVehicleTypeId, seats } from './vehicle-type-fields';

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

/** Everything an admin types about a vehicle (status and driver have their own use cases). */
export const vehicleFields = z.object({
  plate,
  vehicleTypeId: anyVehicleTypeId,
  make: requiredText(40),
  model: requiredText(40),
  color: requiredText(30),
  capacity: seats,
});

export type VehicleFields = z.infer<typeof vehicleFields>;
