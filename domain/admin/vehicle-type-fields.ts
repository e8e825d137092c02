import { z } from 'zod';
import { requiredText } from './text-fields';

/** Ids are what bookings, fare tables and the live index key on: short, lower-case, permanent. */
export const vehicleTypeId = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{1,39}$/, {
    error: 'use 2–40 lower-case letters, digits, - or _, starting with a letter',
  });

export const vehicleTypeName = requiredText(40);

/**
 * Seats: what riders of a type are promised, and what a vehicle holds (vehicles of a type must
 * seat at least its promise). The database allows 1–20 (vehicles_capacity_check).
 */
export const seats = z
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(20, { error: 'must be at most 20' });

/** An existing type's id, only checked for shape (the use case says whether it exists). */
export const anyVehicleTypeId = z.string().trim().min(1, { error: 'is required' }).max(40);
