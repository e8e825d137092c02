import { driverEvents } from '@/domain/driver-availability';
import { DomainError } from '@/domain/errors';
import type { CoreDeps } from '../ports';
import {
  type AvailabilityResult,
  changeAvailabilityInTx,
  publishToLiveIndex,
  type SetAvailabilityInput,
} from './internal/availability-change';

export type { AvailabilityResult, SetAvailabilityInput } from './internal/availability-change';

/**
 * Changes a driver's availability. Postgres is the authority: the row is locked, the domain
 * state machine decides, the change and its event (outbox) commit together. The live index is
 * then updated at once so the driver's first pings are accepted; the relayed event applies the
 * same versioned change again, harmlessly, if this write was lost.
 */
export async function setAvailability(
  deps: CoreDeps,
  input: SetAvailabilityInput,
): Promise<AvailabilityResult> {
  if (input.actor === 'driver' && !driverEvents.includes(input.event)) {
    throw new DomainError('FORBIDDEN', `Drivers cannot trigger ${input.event}`);
  }
  const now = deps.clock.now();
  const { result, entry } = await deps.db.transaction((tx) => changeAvailabilityInTx(tx, input, now));
  await publishToLiveIndex(deps, [entry]);
  return result;
}
