import type { BookingStatus } from './booking';
import type { Minor } from './money';

export interface CancellationPolicy {
  /** Free cancellation for this long after a driver accepted. */
  graceAfterAcceptS: number;
  fee: Minor;
}

/** The fee is in minor units of the city's currency: UYU 70. */
export const defaultCancellationPolicy: CancellationPolicy = { graceAfterAcceptS: 120, fee: 7_000 };

export interface CancellationTerms {
  fee: Minor;
  /** The rule that applies, as the rider reads it before cancelling. */
  rule: string;
}

/**
 * What a rider pays to cancel now. Free until a driver has been on the way for the grace period;
 * after that, or once the driver is at the pickup, a flat fee compensates the driver's trip.
 */
export function riderCancellationTerms(
  booking: { status: BookingStatus; acceptedAt: number | null },
  nowMs: number,
  policy: CancellationPolicy = defaultCancellationPolicy,
): CancellationTerms {
  const free = (rule: string) => ({ fee: 0, rule });
  switch (booking.status) {
    case 'scheduled':
    case 'requested':
    case 'searching':
    case 'offered':
      return free('Free: no driver is on the way yet');
    case 'accepted': {
      const elapsedS = booking.acceptedAt === null ? 0 : (nowMs - booking.acceptedAt) / 1000;
      if (elapsedS < policy.graceAfterAcceptS) {
        return free(
          `Free for ${Math.ceil((policy.graceAfterAcceptS - elapsedS) / 60)} more min after your driver accepted`,
        );
      }
      return {
        fee: policy.fee,
        rule: `Fee: your driver has been on the way for more than ${policy.graceAfterAcceptS / 60} min`,
      };
    }
    case 'arrived':
      return { fee: policy.fee, rule: 'Fee: your driver is already at the pickup' };
    default:
      return free('This booking can no longer be cancelled');
  }
}
