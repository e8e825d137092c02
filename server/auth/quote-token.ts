import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { DomainError } from '@/domain/errors';
import { latLngSchema } from '@/domain/geo';

/**
 * A quote is a signed, expiring price lock: the rider can book at this price until it expires,
 * without the server storing every quote. Tampering or expiry is detected at booking time.
 */
export const quoteTtlS = 5 * 60;
const audience = 'opendispatch-quote';

export const quoteClaimsSchema = z.object({
  quoteId: z.uuid(),
  riderId: z.uuid(),
  vehicleTypeId: z.string(),
  pickup: latLngSchema,
  dropoff: latLngSchema,
  scheduledFor: z.int().nullable(),
  total: z.int(),
  currency: z.string(),
  /** The full breakdown, as shown to the rider. */
  fare: z.record(z.string(), z.unknown()),
});
export type QuoteClaims = z.infer<typeof quoteClaimsSchema>;

const key = (secret: string) => new TextEncoder().encode(secret);

export async function signQuote(
  claims: QuoteClaims,
  secret: string,
  nowMs: number,
): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(nowMs / 1000);
  const token = await new SignJWT({ q: claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + quoteTtlS)
    .sign(key(secret));
  return { token, expiresAt: (iat + quoteTtlS) * 1000 };
}

/** The quote's claims; a DomainError naming the field when it is tampered with or has expired. */
export async function verifyQuote(token: string, secret: string, nowMs: number): Promise<QuoteClaims> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(secret), {
      audience,
      algorithms: ['HS256'],
      currentDate: new Date(nowMs),
    }));
  } catch (error) {
    const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
    throw new DomainError(
      'INVALID_INPUT',
      expired ? 'quoteToken: this quote has expired; get a new quote' : 'quoteToken: not a valid quote',
      { field: 'quoteToken', reason: expired ? 'expired' : 'invalid' },
    );
  }
  const parsed = quoteClaimsSchema.safeParse(payload.q);
  if (!parsed.success)
    throw new DomainError('INVALID_INPUT', 'quoteToken: not a valid quote', { field: 'quoteToken' });
  return parsed.data;
}
