import { z } from 'zod';
import { requiredText } from './text-fields';

export const personName = requiredText(80);

/** Stored lower-cased, as sign-in looks it up. */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { error: 'must be at most 254 characters' })
  .pipe(z.email({ error: 'is not an e-mail address' }));

/** Digits with the usual separators; 7–15 digits (E.164 allows at most 15). */
export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{7,24}$/, { error: 'use digits, spaces, dashes or brackets, optionally a leading +' })
  .refine(
    (p) => {
      const digits = p.replace(/\D/g, '').length;
      return digits >= 7 && digits <= 15;
    },
    { error: 'must have 7 to 15 digits' },
  );

export const licenseNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9 /-]{3,29}$/, { error: 'use 4–30 letters, digits, spaces, / or -' });

/** Length is what makes a password strong; the upper bound keeps argon2's work bounded. */
export const newPassword = z
  .string()
  .min(8, { error: 'must be at least 8 characters' })
  .max(128, { error: 'must be at most 128 characters' });

export const userId = z.uuid({ error: 'is not a user id' });
