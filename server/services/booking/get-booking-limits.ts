import { loadSettings } from '../platform/settings';
import type { BookingDeps } from './deps';

/** What a rider may ask for, from the platform settings: the schedule window and the cancellation rule. */
export async function getBookingLimits(deps: Pick<BookingDeps, 'db'>) {
  const { schedule, cancellation } = await loadSettings(deps.db);
  return {
    schedule: { minLeadMs: schedule.minLeadMs, maxAheadMs: schedule.maxAheadMs },
    cancellation: { graceAfterAcceptS: cancellation.graceAfterAcceptS, fee: cancellation.fee },
  };
}
