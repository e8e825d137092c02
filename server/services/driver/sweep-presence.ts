import { canApply, defaultPresencePolicy, type PresencePolicy } from '@/domain/driver-availability';
import { isDomainError } from '@/domain/errors';
import type { CoreDeps } from '../ports';
import { setAvailability } from './set-availability';

/**
 * Takes offline every driver whose pings stopped longer than the policy allows. Drivers on a
 * trip are left alone (they are busy, not gone); the map flags them as stale instead.
 */
export async function sweepPresence(
  deps: CoreDeps,
  policy: PresencePolicy = defaultPresencePolicy,
): Promise<{ checked: number; wentOffline: number }> {
  const silent = await deps.liveIndex.silentSince(deps.clock.now() - policy.offlineAfterMs);
  let wentOffline = 0;
  for (const driverId of silent) {
    const view = await deps.liveIndex.ingestView(driverId);
    if (!view || !canApply(view.state, 'heartbeat_lost')) continue;
    try {
      await setAvailability(deps, {
        driverId,
        event: 'heartbeat_lost',
        actor: 'system',
        expectedState: view.state,
        reason: `no location for ${Math.round(policy.offlineAfterMs / 1000)} s`,
      });
      wentOffline++;
    } catch (error) {
      // The driver changed state meanwhile (CONFLICT / INVALID_TRANSITION): nothing to do.
      if (!isDomainError(error)) throw error;
    }
  }
  return { checked: silent.length, wentOffline };
}
