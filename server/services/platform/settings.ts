import { eq } from 'drizzle-orm';
import { gridDisk, latLngToCell } from 'h3-js';
import { settings } from '@/db/schema';
import { type CancellationPolicy, defaultCancellationPolicy } from '@/domain/cancellation';
import { demoCity } from '@/domain/city';
import { defaultSchedulePolicy, type SchedulePolicy, serviceAreaResolution } from '@/domain/service-area';
import { defaultSurgePolicy, type SurgePolicy } from '@/domain/surge';
import type { Database } from '../../infra/postgres';
import { perDatabaseCache } from './internal/per-database-cache';

/** Platform settings admins change at run time, with the defaults used until they do. */
export interface PlatformSettings {
  serviceAreaCells: string[];
  surge: SurgePolicy;
  cancellation: CancellationPolicy;
  schedule: SchedulePolicy;
}

/** Until an admin draws one: every res-7 cell within ~20 km of the demo city's centre. */
export function defaultServiceArea(): string[] {
  return gridDisk(latLngToCell(demoCity.center.lat, demoCity.center.lng, serviceAreaResolution), 8);
}

const keys = ['serviceAreaCells', 'surge', 'cancellation', 'schedule'] as const;

/**
 * Settings are read on every quote and cancel; they change rarely (an admin's edit). Each process
 * keeps them for `settingsCacheMs`: an edit applies at once in the process that made it and
 * within that time everywhere else.
 */
export const settingsCacheMs = 5_000;
const cache = perDatabaseCache(readSettings, settingsCacheMs);

export function loadSettings(db: Database, now = Date.now()): Promise<PlatformSettings> {
  return cache.load(db, now);
}

/** For writers that change the settings table in their own transaction: this process reads afresh. */
export function forgetCachedSettings(db: Database): void {
  cache.forget(db);
}

async function readSettings(db: Database): Promise<PlatformSettings> {
  const rows = await db.select().from(settings);
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  return {
    serviceAreaCells: (stored.get('serviceAreaCells') as string[] | undefined) ?? defaultServiceArea(),
    surge: { ...defaultSurgePolicy, ...(stored.get('surge') as Partial<SurgePolicy> | undefined) },
    cancellation: {
      ...defaultCancellationPolicy,
      ...(stored.get('cancellation') as Partial<CancellationPolicy> | undefined),
    },
    schedule: {
      ...defaultSchedulePolicy,
      ...(stored.get('schedule') as Partial<SchedulePolicy> | undefined),
    },
  };
}

export async function saveSetting(
  db: Database,
  key: (typeof keys)[number],
  value: unknown,
  nowMs: number,
): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value, updatedAt: new Date(nowMs) })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date(nowMs) } });
  cache.forget(db);
}

export async function deleteSetting(db: Database, key: (typeof keys)[number]): Promise<void> {
  await db.delete(settings).where(eq(settings.key, key));
  cache.forget(db);
}
