import type { BookingView } from '../trpc';
import { duration } from '../ui/format';

/** Who is coming, in what car (the plate, large: riders check it at the kerb), and how soon. */
export function DriverCard({
  driver,
  status,
  etaS,
}: {
  driver: NonNullable<BookingView['driver']>;
  status: BookingView['status'];
  etaS: number | null;
}) {
  const eta =
    status === 'arrived'
      ? 'Waiting for you at the pickup'
      : etaS === null
        ? 'Locating your driver…'
        : status === 'in_progress'
          ? `Drop-off in ${duration(etaS)}`
          : `At the pickup in ${duration(etaS)}`;
  return (
    <section className="card driver-card" data-testid="driver-card">
      <div>
        <strong data-testid="driver-name">{driver.name}</strong>
        <div className="muted" data-testid="driver-vehicle">
          {driver.vehicle ?? 'Vehicle details not on file'}
        </div>
      </div>
      <div className="plate" data-testid="driver-plate">
        {driver.plate ?? '—'}
      </div>
      <div className="eta" data-testid="driver-eta">
        {eta}
      </div>
    </section>
  );
}
