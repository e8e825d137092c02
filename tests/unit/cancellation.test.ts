import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookingStatuses, canApplyBookingEvent } from '@/domain/booking';
import { defaultCancellationPolicy, riderCancellationTerms } from '@/domain/cancellation';

const acceptedAt = 1_700_000_000_000;
const accepted = { status: 'accepted' as const, acceptedAt };
const afterS = (s: number) => acceptedAt + s * 1000;

describe('rider cancellation terms', () => {
  it('is free while no driver is on the way', () => {
    for (const status of ['scheduled', 'requested', 'searching', 'offered'] as const) {
      expect(riderCancellationTerms({ status, acceptedAt: null }, acceptedAt)).toEqual({
        fee: 0,
        rule: 'Free: no driver is on the way yet',
      });
    }
  });

  it('is free during the grace period after the driver accepted, counting down whole minutes', () => {
    expect(riderCancellationTerms(accepted, afterS(0))).toEqual({
      fee: 0,
      rule: 'Free for 2 more min after your driver accepted',
    });
    expect(riderCancellationTerms(accepted, afterS(59)).rule).toBe(
      'Free for 2 more min after your driver accepted',
    );
    expect(riderCancellationTerms(accepted, afterS(60)).rule).toBe(
      'Free for 1 more min after your driver accepted',
    );
    expect(riderCancellationTerms(accepted, afterS(119.999))).toMatchObject({ fee: 0 });
  });

  it('charges the fee from the exact end of the grace period', () => {
    expect(riderCancellationTerms(accepted, afterS(120))).toEqual({
      fee: 7_000,
      rule: 'Fee: your driver has been on the way for more than 2 min',
    });
    expect(riderCancellationTerms(accepted, afterS(3_600)).fee).toBe(7_000);
  });

  it('charges the fee once the driver is at the pickup, however soon that was', () => {
    expect(riderCancellationTerms({ status: 'arrived', acceptedAt }, afterS(5))).toEqual({
      fee: 7_000,
      rule: 'Fee: your driver is already at the pickup',
    });
  });

  it('treats an accepted booking without an acceptance time as just accepted (free)', () => {
    expect(riderCancellationTerms({ status: 'accepted', acceptedAt: null }, afterS(10_000))).toMatchObject({
      fee: 0,
    });
  });

  it('follows the policy grace and fee', () => {
    const policy = { graceAfterAcceptS: 300, fee: 7_500 };
    expect(riderCancellationTerms(accepted, afterS(299), policy).fee).toBe(0);
    expect(riderCancellationTerms(accepted, afterS(299), policy).rule).toContain('Free for 1 more min');
    expect(riderCancellationTerms(accepted, afterS(300), policy)).toEqual({
      fee: 7_500,
      rule: 'Fee: your driver has been on the way for more than 5 min',
    });
    expect(riderCancellationTerms({ status: 'arrived', acceptedAt }, afterS(1), policy).fee).toBe(7_500);
    const noGrace = { graceAfterAcceptS: 0, fee: 1_000 };
    expect(riderCancellationTerms(accepted, afterS(0), noGrace).fee).toBe(1_000);
  });

  it('says "can no longer be cancelled" exactly where the state machine refuses a rider cancel', () => {
    for (const status of bookingStatuses) {
      const terms = riderCancellationTerms({ status, acceptedAt }, afterS(10));
      const refused = terms.rule === 'This booking can no longer be cancelled';
      expect(refused).toBe(!canApplyBookingEvent(status, 'rider_cancelled'));
      if (refused) expect(terms.fee).toBe(0);
    }
  });

  it('never charges during the grace period and always after it, for any policy', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_600 }), fc.nat(10_000), fc.nat(7_200_000), (grace, fee, ms) => {
        const terms = riderCancellationTerms(accepted, acceptedAt + ms, { graceAfterAcceptS: grace, fee });
        expect(terms.fee).toBe(ms < grace * 1000 ? 0 : fee);
        expect(terms.rule.length).toBeGreaterThan(0);
      }),
    );
  });

  it('defaults to 2 minutes of grace and a UYU 70 fee', () => {
    expect(defaultCancellationPolicy).toEqual({ graceAfterAcceptS: 120, fee: 7_000 });
  });
});
