'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type BookingView, useTRPC } from '../trpc';
import { clockTime, countdown, formatMoney } from '../ui/format';
import { humanError } from '../ui/human-error';
import { useNow } from '../ui/use-now';

/**
 * Cancel, with the rule that applies said before the click: free until a driver has been on the
 * way for the grace period (counting down when it is running), a fee after that or once the
 * driver is at the pickup. The server applies the same rule at the moment of cancelling.
 */
export function CancelTrip({ view, onCancelled }: { view: BookingView; onCancelled: () => void }) {
  const trpc = useTRPC();
  const limits = useQuery(trpc.booking.limits.queryOptions());
  const cancel = useMutation(trpc.booking.cancel.mutationOptions({ onSuccess: onCancelled }));
  const [confirming, setConfirming] = useState(false);
  const now = useNow(1_000);
  const terms = view.cancellation;
  if (!terms) return null;
  const money = (amount: number) => formatMoney(amount, view.currency);
  const graceRunning = terms.freeUntil !== null && terms.freeUntil > now;
  const feeNow = graceRunning ? 0 : terms.freeUntil !== null ? terms.laterFee : terms.fee;
  const grace = limits.data?.cancellation.graceAfterAcceptS;
  const rule = graceRunning
    ? `Free until ${clockTime(terms.freeUntil!, now)} (${countdown(terms.freeUntil! - now)} left), then ${money(terms.laterFee)}.`
    : terms.freeUntil !== null
      ? `Fee: the free period after your driver accepted is over (${money(feeNow)}).`
      : feeNow > 0
        ? `${terms.rule} (${money(feeNow)}).`
        : `Free to cancel now: no driver is on the way yet.${grace !== undefined ? ` Once a driver accepts, it stays free for ${Math.round(grace / 60)} min, then costs ${money(terms.laterFee)}.` : ''}`;

  return (
    <section className="card" data-testid="cancel-trip">
      <p data-testid="cancel-rule">{rule}</p>
      {confirming ? (
        <div className="button-row">
          <button
            type="button"
            className="button danger big-button"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ bookingId: view.id, reason: 'cancelled by the rider in the app' })}
          >
            {feeNow > 0 ? `Cancel and pay ${money(feeNow)}` : 'Yes, cancel for free'}
          </button>
          <button type="button" className="button big-button" onClick={() => setConfirming(false)}>
            Keep my trip
          </button>
        </div>
      ) : (
        <button type="button" className="button big-button" onClick={() => setConfirming(true)}>
          Cancel trip
        </button>
      )}
      {cancel.error ? (
        <p className="error" role="alert">
          {humanError(cancel.error).message}
        </p>
      ) : null}
    </section>
  );
}
