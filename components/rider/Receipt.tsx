import type { BookingView } from '../trpc';
import { FareBreakdown } from '../ui/FareBreakdown';
import { clockTime, duration, formatMoney, placeName } from '../ui/format';

/** The completed trip: route, driver, times and the fare as charged (the price locked at booking). */
export function Receipt({ view }: { view: BookingView }) {
  const tookS =
    view.startedAt !== null && view.completedAt !== null ? (view.completedAt - view.startedAt) / 1000 : null;
  return (
    <section className="card" data-testid="receipt">
      <h2>Receipt · {formatMoney(view.fare.total, view.currency)}</h2>
      <dl className="status-grid">
        <dt>From</dt>
        <dd>{placeName(view.pickup)}</dd>
        <dt>To</dt>
        <dd>{placeName(view.dropoff)}</dd>
        {view.driver ? (
          <>
            <dt>Driver</dt>
            <dd>
              {view.driver.name}
              {view.driver.plate ? ` · ${view.driver.plate}` : ''}
            </dd>
          </>
        ) : null}
        {view.completedAt !== null ? (
          <>
            <dt>Completed</dt>
            <dd>
              {clockTime(view.completedAt)}
              {tookS !== null ? ` · ${duration(tookS)} on board` : ''}
            </dd>
          </>
        ) : null}
        <dt>Vehicle type</dt>
        <dd>{view.vehicleTypeName}</dd>
      </dl>
      <FareBreakdown fare={view.fare} currency={view.currency} testId="receipt-breakdown" />
    </section>
  );
}
