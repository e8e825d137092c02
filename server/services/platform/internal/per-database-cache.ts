import type { Database } from '../../../infra/postgres';

/**
 * A value read from PostgreSQL and kept per process (per database handle) for `ttlMs`, for data
 * admins change rarely and every request reads. `forget` makes the next load read afresh (the
 * writer's process, after its commit); a failed read is not kept.
 */
export function perDatabaseCache<T>(read: (db: Database) => Promise<T>, ttlMs: number) {
  const cache = new WeakMap<Database, { at: number; value: Promise<T> }>();
  return {
    load(db: Database, now = Date.now()): Promise<T> {
      const hit = cache.get(db);
      if (hit && now - hit.at < ttlMs) return hit.value;
      const value = read(db);
      cache.set(db, { at: now, value });
      value.catch(() => cache.delete(db));
      return value;
    },
    forget(db: Database): void {
      cache.delete(db);
    },
  };
}
