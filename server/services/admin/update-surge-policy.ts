import { z } from 'zod';
import { defaultSurgePolicy, type SurgePolicy } from '@/domain/surge';
import type { AdminActor, AdminDeps } from './deps';
import { replaceSetting } from './internal/settings-row';

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
  return replaceSetting(deps, actor, 'surge', (stored) => {
    const before: SurgePolicy = { ...defaultSurgePolicy, ...(stored as Partial<SurgePolicy> | undefined) };
    const after: SurgePolicy = { ...input };
    return { value: after, details: { before, after }, result: after };
  });
}
