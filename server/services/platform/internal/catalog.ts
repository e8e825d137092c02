import { eq } from 'drizzle-orm';
import { fareTables, vehicleTypes } from '@/db/schema';
import type { FareTable } from '@/domain/pricing';
import type { Database } from '../../../infra/postgres';
import { settingsCacheMs } from '../settings';
import { perDatabaseCache } from './per-database-cache';

/** A vehicle type as quotes and booking views need it, with its fare table if it has one. */
export interface CatalogType {
  id: string;
  name: string;
  active: boolean;
  fare: FareTable | null;
}

/**
 * Vehicle types and their fare tables, read on every quote and every booking view, changed only by
 * an admin. Each process keeps them like the settings (`settingsCacheMs`): an admin change drops
 * this process's copy at once (server/services/admin/internal/audited-transaction.ts), other
 * processes read afresh within that period. A type this process has not seen (created since) is
 * looked up at once rather than refused.
 */
const cache = perDatabaseCache(readCatalog, settingsCacheMs);

export function loadCatalog(db: Database, now = Date.now()): Promise<Map<string, CatalogType>> {
  return cache.load(db, now);
}

/** One vehicle type (null if there is none), re-reading once if this process has not seen it yet. */
export async function catalogType(db: Database, id: string): Promise<CatalogType | null> {
  const known = (await loadCatalog(db)).get(id);
  if (known) return known;
  forgetCachedCatalog(db);
  return (await loadCatalog(db)).get(id) ?? null;
}

/** After an admin change to types or fares commits: this process reads afresh. */
export function forgetCachedCatalog(db: Database): void {
  cache.forget(db);
}

async function readCatalog(db: Database): Promise<Map<string, CatalogType>> {
  // One statement (one transaction), not one per table.
  const rows = await db
    .select({ type: vehicleTypes, fare: fareTables })
    .from(vehicleTypes)
    .leftJoin(fareTables, eq(fareTables.vehicleTypeId, vehicleTypes.id));
  return new Map(rows.map(({ type: t, fare }) => [t.id, { id: t.id, name: t.name, active: t.active, fare }]));
}
