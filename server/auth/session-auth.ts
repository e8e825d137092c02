import type { Logger } from '../infra/logger';
import type { PostgresHandle } from '../infra/postgres';
import { type CookiePair, sessionCookieName, sessionTokenOf } from './session-cookie';
import { SessionPrincipals } from './session-principals';
import { SessionTokenReader } from './session-token';
import type { SessionUser } from './session-user';

/**
 * Who a request's session cookie belongs to, at no round trip once this process has seen the
 * session: the token decoded with a key derived once (cached per token), its principal from the
 * per-process cache that PostgreSQL keeps current (ADR 0016).
 */
export class SessionAuth {
  readonly principals: SessionPrincipals;
  private readonly tokens: SessionTokenReader;
  private readonly cookieName: string;

  constructor(
    postgres: PostgresHandle,
    env: { NEXTAUTH_SECRET: string; NEXTAUTH_URL: string },
    logger?: Logger,
  ) {
    this.tokens = new SessionTokenReader(env.NEXTAUTH_SECRET);
    this.principals = new SessionPrincipals(postgres, logger);
    // As the web door always called getToken: secure cookie name exactly when the site is https.
    this.cookieName = sessionCookieName(env.NEXTAUTH_URL.startsWith('https://'));
  }

  /** The signed-in user, or null (no token, forged or expired, session revoked, user suspended). */
  async userOf(
    cookies: readonly CookiePair[],
    authorization: string | null | undefined,
    nowMs: number,
  ): Promise<SessionUser | null> {
    const token = sessionTokenOf(cookies, authorization, this.cookieName);
    if (!token) return null;
    const sessionId = await this.tokens.sessionIdOf(token, nowMs);
    return sessionId ? this.principals.resolve(sessionId, nowMs) : null;
  }

  close(): Promise<void> {
    return this.principals.close();
  }
}
