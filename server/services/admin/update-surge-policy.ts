import { z } from 'zod';
import { defaultSurgePolicy, type SurgePolicy } from '@/domain/surge';
import { recordAudit } from '../platform/audit';
import { forgetCachedSettings } from '../platform/settings';
import type { AdminActor, AdminDeps } from './deps';
import { lockSetting, writeSetting } from './internal/settings-row';

const num = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/**
 * The surge policy (domain/surge.ts). The cap is what riders can be charged at worst, so it is
 * bounded at 5×; the others are bounded so no setting can make surge jump on a single request.
 */
export const surgeLimits = {
  cap: [1, 5],
  threshold: [0.1, 10],
  slope: [0, 5],
  neighbourWeight: [0, 1],
} as const;

export const updateSurgePolicyInput = z.object({
  cap: num(...surgeLimits.cap),
  threshold: num(...surgeLimits.threshold),
  slope: num(...surgeLimits.slope),
  neighbourWeight: num(...surgeLimits.neighbourWeight),
});

/** Replaces the surge policy; the workers' next surge run (every 10 s) uses it. */
export async function updateSurgePolicy(
  deps: AdminDeps,
  actor: AdminActor,
  input: z.infer<typeof updateSurgePolicyInput>,
) {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx) => {
    const stored = (await lockSetting(tx, 'surge')) as Partial<SurgePolicy> | undefined;
    const before: SurgePolicy = { ...defaultSurgePolicy, ...stored };
    const after: SurgePolicy = { ...input };
    await writeSetting(tx, 'surge', after, now);
    await recordAudit(tx, {
      action: 'settings.changed',
      actor,
      ip: actor.ip ?? null,
      subject: { type: 'setting', id: 'surge' },
      details: { key: 'surge', before, after },
      at: now,
    });
    return after;
  });
  // This process quotes with the new value at once; others within the settings cache period.
  forgetCachedSettings(deps.db);
  return result;
}
