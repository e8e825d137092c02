'use client';
import type { Quote } from '../trpc';
import { FareBreakdown } from '../ui/FareBreakdown';
import { clockTime, countdown, formatMoney } from '../ui/format';
import type { HumanError } from '../ui/human-error';

/** The quoted fare, how long the price is locked, and the button that books it. */
export function QuoteCard({
  quote,
  vehicleName,
  remainingMs,
  expired,
  refreshing,
  priceChangedFrom,
  booking,
  error,
  onBook,
  onRefresh,
}: {
  quote: Quote;
  vehicleName: string;
  remainingMs: number;
  expired: boolean;
  refreshing: boolean;
  priceChangedFrom: number | null;
  booking: boolean;
  error: HumanError | null;
  onBook: () => void;
  onRefresh: () => void;
}) {
  return (
    <section className="card" data-testid="quote">
      <h2>
        {vehicleName} · {formatMoney(quote.fare.total, quote.currency)}
      </h2>
      {priceChangedFrom !== null ? (
        <p className="warning" data-testid="price-changed">
          The price changed from {formatMoney(priceChangedFrom, quote.currency)} when the last price lock ran
          out.
        </p>
      ) : null}
      <FareBreakdown fare={quote.fare} currency={quote.currency} testId="quote-breakdown" />
      <p className="muted" data-testid="quote-expiry">
        {expired
          ? refreshing
            ? 'Price lock ran out: getting the current price…'
            : 'Price lock ran out.'
          : `Price locked for ${countdown(remainingMs)}`}
      </p>
      {quote.scheduledFor !== null ? (
        <p data-testid="quote-pickup-time">Pickup at {clockTime(quote.scheduledFor)}</p>
      ) : null}
      {expired && !refreshing ? (
        <button type="button" className="button big-button" onClick={onRefresh}>
          Get the current price
        </button>
      ) : (
        <button
          type="button"
          className="button primary big-button"
          disabled={booking || expired}
          onClick={onBook}
        >
          {booking
            ? 'Booking…'
            : quote.scheduledFor !== null
              ? `Schedule for ${clockTime(quote.scheduledFor)}`
              : 'Book now'}
        </button>
      )}
      {error ? (
        <p className="error" role="alert" data-testid="book-error">
          {error.message}
        </p>
      ) : null}
    </section>
  );
}
