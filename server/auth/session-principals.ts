import { ExpiringCache } from '../infra/expiring-cache';
import type { Logger } from '../infra/logger';
import { listenTo, type PgListener } from '../infra/pg-listener';
import type { PostgresHandle } from '../infra/postgres';
import { loadAuthSession, type OpenAuthSession } from '../services/account/auth-sessions';
import type { SessionUser } from './session-user';

/** The PostgreSQL channel db/migrations/0013_auth_change_notify.sql notifies on. */
export const authChangedChannel = 'auth_changed';

/**
 * Each auth session's principal (or its absence), kept in this process (ADR 0016). PostgreSQL
 * tells us at commit when a session or its user changes (triggers → NOTIFY `auth_changed`), so a
 * request reads nothing; the session's own end and a TTL bound every entry. While the LISTEN
 * connection is not in place, nothing is cached and every request reads PostgreSQL, as before:
 * a revocation can never hide in a notification we did not get.
 */
export class SessionPrincipals {
  private readonly cache: ExpiringCache<string, SessionUser | null>;
  private readonly inFlight = new Map<string, Promise<SessionUser | null>>();
  /** Bumped by every notification or connection change: a read that saw one begin is not kept. */
  private generation = 0;
  private listener: PgListener | null = null;
  private reads = 0;

  constructor(
    private readonly postgres: PostgresHandle,
    private readonly logger?: Logger,
    private readonly options: { ttlMs: number; maxEntries: number } = { ttlMs: 60_000, maxEntries: 50_000 },
  ) {
    this.cache = new ExpiringCache(options.maxEntries);
  }

  /** The session's principal; null when it was revoked, has expired or its user was suspended. */
  resolve(sessionId: string, nowMs: number): Promise<SessionUser | null> {
    this.listener ??= listenTo(
      this.postgres,
      authChangedChannel,
      { onNotification: (payload) => this.forget(payload), onState: () => this.forgetAll() },
      this.logger,
    );
    if (!this.listener.listening) return this.read(sessionId, nowMs).then((open) => open?.user ?? null);
    const known = this.cache.get(sessionId, nowMs);
    if (known !== undefined) return Promise.resolve(known);
    let pending = this.inFlight.get(sessionId);
    if (!pending) {
      pending = this.fill(sessionId, nowMs).finally(() => {
        if (this.inFlight.get(sessionId) === pending) this.inFlight.delete(sessionId);
      });
      this.inFlight.set(sessionId, pending);
    }
    return pending;
  }

  /** Whether revocations reach this process by notification (else it reads PostgreSQL per request). */
  get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  /** How many times this process has read a session from PostgreSQL (tests, benchmarks). */
  get databaseReads(): number {
    return this.reads;
  }

  /**
   * Forgets a session this process has just revoked, so its own next request is refused without
   * waiting for the notification to come back (other processes get the notification).
   */
  forgetSession(sessionId: string): void {
    this.forget(`s:${sessionId}`);
  }

  async close(): Promise<void> {
    await this.listener?.close();
    this.forgetAll();
  }

  private async fill(sessionId: string, nowMs: number): Promise<SessionUser | null> {
    const generation = this.generation;
    const open = await this.read(sessionId, nowMs);
    const user = open ? Object.freeze(open.user) : null;
    if (generation === this.generation && this.listening) {
      this.cache.set(sessionId, user, Math.min(nowMs + this.options.ttlMs, open?.expiresAt ?? Infinity));
    }
    return user;
  }

  private read(sessionId: string, nowMs: number): Promise<OpenAuthSession | null> {
    this.reads++;
    return loadAuthSession(this.postgres.db, sessionId, nowMs);
  }

  /** 's:<session id>' or 'u:<user id>' (a user's change also clears absences: a reinstatement). */
  private forget(payload: string): void {
    this.generation++;
    const id = payload.slice(2);
    if (payload.startsWith('s:')) {
      this.cache.delete(id);
      this.inFlight.delete(id);
    } else if (payload.startsWith('u:')) {
      this.cache.deleteWhere((user) => user === null || user.id === id);
      this.inFlight.clear();
    } else {
      this.forgetAll();
    }
  }

  private forgetAll(): void {
    this.generation++;
    this.cache.clear();
    this.inFlight.clear();
  }
}
