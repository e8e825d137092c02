import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  maxServiceTokenTtlS,
  signServiceToken,
  signSocketToken,
  socketTokenTtlS,
  verifySocketToken,
} from '@/server/auth/socket-token';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const now = 1_800_000_000_000;
const user = { id: 'user-7', role: 'dispatcher' as const, sessionId: 'session-42' };

/** Signs arbitrary claims the way signSocketToken does, so single claims can be varied. */
async function forge(
  overrides: {
    audience?: string;
    issuer?: string;
    claims?: Record<string, unknown>;
    key?: string;
    alg?: string;
  } = {},
) {
  const iat = Math.floor(now / 1000);
  const jwt = new SignJWT(overrides.claims ?? { role: user.role, sid: user.sessionId })
    .setProtectedHeader({ alg: overrides.alg ?? 'HS256' })
    .setSubject(user.id)
    .setAudience(overrides.audience ?? 'opendispatch-realtime')
    .setIssuer(overrides.issuer ?? 'opendispatch-web')
    .setIssuedAt(iat)
    .setExpirationTime(iat + 600);
  return jwt.sign(new TextEncoder().encode(overrides.key ?? secret));
}

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const decodePart = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;

describe('socket token', () => {
  it('round-trips the user, role, session and expiry', async () => {
    const { token, expiresAt } = await signSocketToken(user, secret, now);
    expect(expiresAt).toBe(now + socketTokenTtlS * 1000);
    const claims = await verifySocketToken(token, secret, now + 1_000);
    expect(claims).toEqual({
      kind: 'user',
      userId: 'user-7',
      role: 'dispatcher',
      sessionId: 'session-42',
      expiresAt,
    });
  });

  it('round-trips a gateway service token, capped at 24 hours', async () => {
    const { token, expiresAt } = await signServiceToken('fleet-a', secret, now, 7 * 24 * 3_600);
    expect(expiresAt).toBe(now + maxServiceTokenTtlS * 1000);
    expect(await verifySocketToken(token, secret, now)).toEqual({
      kind: 'service',
      name: 'fleet-a',
      role: 'gateway',
      expiresAt,
    });
    await expect(signServiceToken('Bad Name!', secret, now)).rejects.toThrow('gateway name');
  });

  it('refuses forged service tokens: a longer life than allowed, or a role other than gateway', async () => {
    const longLived = await new SignJWT({ kind: 'service', role: 'gateway' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('fleet-a')
      .setAudience('opendispatch-realtime')
      .setIssuer('opendispatch-web')
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + maxServiceTokenTtlS + 60)
      .sign(new TextEncoder().encode(secret));
    await expect(verifySocketToken(longLived, secret, now)).rejects.toThrow();
    const adminService = await forge({ claims: { kind: 'service', role: 'admin' } });
    await expect(verifySocketToken(adminService, secret, now)).rejects.toThrow();
    // A user token cannot claim the gateway role either.
    const gatewayUser = await forge({ claims: { role: 'gateway', sid: 's' } });
    await expect(verifySocketToken(gatewayUser, secret, now)).rejects.toThrow();
  });

  it('honours a custom ttl and rounds the issue time down to the second', async () => {
    const { token, expiresAt } = await signSocketToken(user, secret, now + 999, 30);
    expect(expiresAt).toBe(now + 30_000);
    expect((await verifySocketToken(token, secret, now)).expiresAt).toBe(expiresAt);
  });

  it('accepts a token until it expires and rejects it afterwards', async () => {
    const { token, expiresAt } = await signSocketToken(user, secret, now, 60);
    await expect(verifySocketToken(token, secret, expiresAt - 1_000)).resolves.toMatchObject({
      userId: 'user-7',
    });
    await expect(verifySocketToken(token, secret, expiresAt + 1_000)).rejects.toThrow(/exp/);
    await expect(verifySocketToken(token, secret, now + 3_600_000)).rejects.toThrow();
  });

  it('rejects a token signed with another secret', async () => {
    const { token } = await signSocketToken(user, secret, now);
    await expect(verifySocketToken(token, `${secret}-other`, now)).rejects.toThrow(/signature/);
  });

  it('rejects a token whose payload was changed after signing', async () => {
    const { token } = await signSocketToken({ ...user, role: 'driver' }, secret, now);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = decodePart(payload);
    expect(claims.role).toBe('driver');
    const tampered = [header, b64url(JSON.stringify({ ...claims, role: 'admin' })), signature].join('.');
    await expect(verifySocketToken(tampered, secret, now)).rejects.toThrow(/signature/);
  });

  it('rejects a garbled token', async () => {
    await expect(verifySocketToken('not.a.token', secret, now)).rejects.toThrow();
    await expect(verifySocketToken('', secret, now)).rejects.toThrow();
  });

  it('accepts a token built by hand with the expected claims (the forge helper is faithful)', async () => {
    await expect(verifySocketToken(await forge(), secret, now)).resolves.toMatchObject({
      userId: 'user-7',
      role: 'dispatcher',
      sessionId: 'session-42',
    });
  });

  it('rejects a correctly signed token meant for another audience', async () => {
    await expect(
      verifySocketToken(await forge({ audience: 'opendispatch-web' }), secret, now),
    ).rejects.toThrow(/aud/);
  });

  it('rejects a correctly signed token from another issuer', async () => {
    await expect(verifySocketToken(await forge({ issuer: 'someone-else' }), secret, now)).rejects.toThrow(
      /iss/,
    );
  });

  it('rejects a token signed with another algorithm', async () => {
    await expect(verifySocketToken(await forge({ alg: 'HS512' }), secret, now)).rejects.toThrow();
  });

  it('rejects a token with an unknown role', async () => {
    const token = await forge({ claims: { role: 'superuser', sid: user.sessionId } });
    await expect(verifySocketToken(token, secret, now)).rejects.toThrow('socket token is missing claims');
  });

  it('rejects a token without a session id', async () => {
    const token = await forge({ claims: { role: 'driver' } });
    await expect(verifySocketToken(token, secret, now)).rejects.toThrow('socket token is missing claims');
    const numeric = await forge({ claims: { role: 'driver', sid: 42 } });
    await expect(verifySocketToken(numeric, secret, now)).rejects.toThrow('socket token is missing claims');
  });
});
