import { hkdfSync } from 'node:crypto';
import { jwtDecrypt } from 'jose';
import { ExpiringCache } from '../infra/expiring-cache';

/** next-auth v4's clock tolerance when it decodes a session token (jwt/index.js `decode`). */
const clockToleranceS = 15;
/** A token without `exp` (next-auth always sets one) or one that does not decode is remembered this long. */
const fallbackCacheMs = 60_000;

/**
 * next-auth v4 session tokens (JWE, `dir` + A256GCM) decoded as its `getToken` decodes them, with
 * the key derived once per process instead of on every call (next-auth runs HKDF each time) and
 * each distinct token decrypted once until it expires. What a token says never changes, so the
 * cache holds no state that could go stale: whether its session is still open is asked elsewhere.
 */
export class SessionTokenReader {
  private readonly key: Uint8Array;
  private readonly decoded: ExpiringCache<string, string | null>;

  constructor(secret: string, maxEntries = 20_000) {
    // = @panva/hkdf('sha256', secret, '', 'NextAuth.js Generated Encryption Key', 32), next-auth's key.
    this.key = new Uint8Array(hkdfSync('sha256', secret, '', 'NextAuth.js Generated Encryption Key', 32));
    this.decoded = new ExpiringCache(maxEntries);
  }

  /** The auth session id (`sid`) the token carries; null when it is forged, expired or has none. */
  async sessionIdOf(token: string, nowMs: number): Promise<string | null> {
    const known = this.decoded.get(token, nowMs);
    if (known !== undefined) return known;
    let sid: string | null = null;
    let untilMs = nowMs + fallbackCacheMs;
    try {
      const { payload } = await jwtDecrypt(token, this.key, {
        clockTolerance: clockToleranceS,
        currentDate: new Date(nowMs),
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      sid = typeof payload.sid === 'string' && payload.sid ? payload.sid : null;
      if (typeof payload.exp === 'number') untilMs = (payload.exp + clockToleranceS) * 1000;
    } catch {
      // Forged, malformed or expired: null, as getToken answers.
    }
    this.decoded.set(token, sid, untilMs);
    return sid;
  }
}
