import { z } from 'zod';

/** Typed text an admin must fill in: trimmed, not blank, at most `max` characters. */
export const requiredText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'is required' })
    .max(max, { error: `must be at most ${max} characters` });
