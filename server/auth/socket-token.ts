import { jwtVerify, SignJWT } from 'jose';
import { roles } from '@/domain/roles';
import type { SessionUser } from './session-user';

/**
 * Short-lived token for the realtime server. The browser's session cookie is an encrypted
 * next-auth JWE scoped to the web origin; sockets get this instead, minted by a tRPC procedure.
 */
export const socketTokenTtlS = 10 * 60;
const audience = 'opendispatch-realtime';
const issuer = 'opendispatch-web';

export interface SocketClaims {
  userId: string;
  role: SessionUser['role'];
  sessionId: string;
  expiresAt: number;
}

const key = (secret: string) => new TextEncoder().encode(secret);

export async function signSocketToken(
  user: Pick<SessionUser, 'id' | 'role' | 'sessionId'>,
  secret: string,
  nowMs: number,
  ttlS: number = socketTokenTtlS,
): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + ttlS;
  const token = await new SignJWT({ role: user.role, sid: user.sessionId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.id)
    .setAudience(audience)
    .setIssuer(issuer)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key(secret));
  return { token, expiresAt: exp * 1000 };
}

/** Throws if the token is malformed, forged, expired or not meant for the realtime server. */
export async function verifySocketToken(token: string, secret: string, nowMs: number): Promise<SocketClaims> {
  const { payload } = await jwtVerify(token, key(secret), {
    audience,
    issuer,
    algorithms: ['HS256'],
    currentDate: new Date(nowMs),
  });
  const role = roles.find((r) => r === payload.role);
  if (!payload.sub || !role || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') {
    throw new Error('socket token is missing claims');
  }
  return { userId: payload.sub, role, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
}
