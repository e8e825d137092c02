import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fareFields, fareKeys } from '@/domain/admin/fare-fields';
import { personName } from '@/domain/admin/person-fields';
import { vehicleFields } from '@/domain/admin/vehicle-fields';
import { seats, vehicleTypeName } from '@/domain/admin/vehicle-type-fields';

/** The first message zod gives for `value`, per field path (what the admin forms show). */
function messages(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  const out: Record<string, string> = {};
  if (!result.success) for (const i of result.error.issues) out[i.path.join('.')] ??= i.message;
  return out;
}

const vehicle = {
  plate: 'ka 01  ab 1234',
  vehicleTypeId: 'economy',
  make: 'Tata',
  model: 'Nexon',
  color: 'Blue',
  capacity: 4,
};

describe('admin field schemas (pure: the server checks them, forms may too)', () => {
  it('required text: blank and too long are refused with the same words everywhere', () => {
    expect(messages(personName, '  ')).toEqual({ '': 'is required' });
    expect(messages(personName, 'x'.repeat(81))).toEqual({ '': 'must be at most 80 characters' });
    expect(messages(vehicleTypeName, 'x'.repeat(41))).toEqual({ '': 'must be at most 40 characters' });
    expect(messages(vehicleFields, { ...vehicle, model: '', color: 'c'.repeat(31) })).toEqual({
      model: 'is required',
      color: 'must be at most 30 characters',
    });
  });

  it('seats and capacity: whole numbers from 1 to 20', () => {
    expect(messages(seats, 0)).toEqual({ '': 'must be at least 1' });
    expect(messages(seats, 4.5)).toEqual({ '': 'must be a whole number' });
    expect(messages(vehicleFields, { ...vehicle, capacity: 21 })).toEqual({ capacity: 'must be at most 20' });
  });

  it('plates are stored upper-case with single spaces', () => {
    expect(vehicleFields.parse(vehicle).plate).toBe('KA 01 AB 1234');
  });

  it('fare tables name every amount once, and a minimum below the base fare is refused', () => {
    const fare = { baseFare: 6_500, perKm: 4_000, perMinute: 400, minimumFare: 6_000, bookingFee: 1_500 };
    expect(Object.keys(fare)).toEqual([...fareKeys]);
    expect(messages(fareFields, fare)).toEqual({ minimumFare: 'must be at least the base fare' });
    expect(messages(fareFields, { ...fare, minimumFare: 13_000, perKm: 12.5, bookingFee: 100_001 })).toEqual({
      perKm: 'must be whole centésimos: at most two decimal places',
      bookingFee: 'must be at most UYU\u00a01,000',
    });
  });
});
