import { z } from 'zod';

/** A suspended account cannot sign in, and its open sessions stop working at once. */
export const accountStatuses = ['active', 'suspended'] as const;

/** Limits of a rider's own sign-up form; the server checks the same schema. */
export const signUpLimits = { nameMax: 80, passwordMin: 10, passwordMax: 200 } as const;

export const signUpSchema = z.object({
  email: z.email('a valid e-mail address').max(254),
  name: z.string().trim().min(1, 'your name').max(signUpLimits.nameMax),
  password: z
    .string()
    .min(signUpLimits.passwordMin, `at least ${signUpLimits.passwordMin} characters`)
    .max(signUpLimits.passwordMax),
  /** Optional; shown to the driver of your trip. Digits, spaces, brackets, dashes, an optional leading +. */
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{7,20}$/, 'digits, spaces and dashes, 7 to 20 of them')
    .optional(),
});
export type SignUpInput = z.infer<typeof signUpSchema>;
