import { jwtVerify, SignJWT } from 'jose';
import { roles } from '@/domain/roles';
import type { SessionUser } from './session-user';

/**
 * Short-lived tokens for the realtime server. The browser's session cookie is an encrypted
 * next-auth JWE scoped to the web origin; sockets get this instead, minted by a tRPC procedure.
 * Telematics gateways (and the simulator) get *service* tokens, minted by an operator with the
 * secret, which may send positions for on-duty drivers but join no user room.
 */
export const socketTokenTtlS = 10 * 60;
export const maxServiceTokenTtlS = 24 * 3_600;
const audience = 'opendispatch-realtime';
const issuer = 'opendispatch-web';

export interface UserSocketClaims {
  kind: 'user';
  userId: string;
  role: SessionUser['role'];
  sessionId: string;
  expiresAt: number;
}

export interface ServiceSocketClaims {
  kind: 'service';
  name: string;
  role: 'gateway';
  expiresAt: number;
}

export type SocketClaims = UserSocketClaims | ServiceSocketClaims;

const key = (secret: string) => new TextEncoder().encode(secret);

async function sign(
  claims: Record<string, unknown>,
  subject: string,
  secret: string,
  nowMs: number,
  ttlS: number,
) {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ttlS;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setAudience(audience)
    .setIssuer(issuer)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key(secret));
  return { token, expiresAt: exp * 1000 };
}

export function signSocketToken(
  user: Pick<SessionUser, 'id' | 'role' | 'sessionId'>,
  secret: string,
  nowMs: number,
  ttlS: number = socketTokenTtlS,
): Promise<{ token: string; expiresAt: number }> {
  return sign({ role: user.role, sid: user.sessionId }, user.id, secret, nowMs, ttlS);
}

/** A gateway's token; at most a day, so a leaked one ages out on its own. */
export async function signServiceToken(
  name: string,
  secret: string,
  nowMs: number,
  ttlS: number = maxServiceTokenTtlS,
): Promise<{ token: string; expiresAt: number }> {
  if (!/^[a-z0-9_-]{1,40}$/.test(name)) throw new Error('gateway name: 1–40 of a-z 0-9 _ -');
  return sign({ kind: 'service', role: 'gateway' }, name, secret, nowMs, Math.min(ttlS, maxServiceTokenTtlS));
}

/** Throws if the token is malformed, forged, expired or not meant for the realtime server. */
export async function verifySocketToken(token: string, secret: string, nowMs: number): Promise<SocketClaims> {
  const { payload } = await jwtVerify(token, key(secret), {
    audience,
    issuer,
    algorithms: ['HS256'],
    currentDate: new Date(nowMs),
  });
  if (!payload.sub || typeof payload.exp !== 'number') throw new Error('socket token is missing claims');
  const expiresAt = payload.exp * 1000;
  if (payload.kind === 'service') {
    if (payload.role !== 'gateway' || payload.exp - (payload.iat ?? 0) > maxServiceTokenTtlS) {
      throw new Error('service token has a bad role or lifetime');
    }
    return { kind: 'service', name: payload.sub, role: 'gateway', expiresAt };
  }
  const role = roles.find((r) => r === payload.role);
  if (!role || typeof payload.sid !== 'string') throw new Error('socket token is missing claims');
  return { kind: 'user', userId: payload.sub, role, sessionId: payload.sid, expiresAt };
}
