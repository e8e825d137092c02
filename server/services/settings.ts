import { eq } from 'drizzle-orm';
import { gridDisk, latLngToCell } from 'h3-js';
import { settings } from '@/db/schema';
import { type CancellationPolicy, defaultCancellationPolicy } from '@/domain/cancellation';
import { demoCity } from '@/domain/city';
import { defaultSchedulePolicy, type SchedulePolicy, serviceAreaResolution } from '@/domain/service-area';
import { defaultSurgePolicy, type SurgePolicy } from '@/domain/surge';
import type { Database } from '../infra/postgres';

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

export async function loadSettings(db: Database): Promise<PlatformSettings> {
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
}

export async function deleteSetting(db: Database, key: (typeof keys)[number]): Promise<void> {
  await db.delete(settings).where(eq(settings.key, key));
}
