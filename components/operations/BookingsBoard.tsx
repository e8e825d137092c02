'use client';
import { memo } from 'react';
import type { BookingView } from '../trpc';
import { age, clockTime, words } from '../ui/format';
import '../ui/ui.css';
import { TableHead } from '../ui/TableHead';

/**
 * Bookings under way (escalated first, as the server orders them) and the latest finished ones.
 * Memoised: the operations view re-renders 4× a second for the map; the board only when its
 * data or its one-second clock changes.
 */
export const BookingsBoard = memo(function BookingsBoard({
  active,
  recent,
  now,
  selected,
  error,
  onSelect,
}: {
  active: BookingView[];
  recent: BookingView[];
  now: number;
  selected: string | null;
  error: string | null;
  onSelect: (bookingId: string) => void;
}) {
  const escalated = active.filter((b) => b.escalated).length;
  return (
    <section className="card bookings-board" data-testid="bookings-board">
      <div className="board-head">
        <strong>Bookings</strong>
        <span className="muted">
          {active.length} under way{escalated > 0 ? ` · ${escalated} escalated` : ''} · {recent.length} recent
        </span>
      </div>
      {error ? <p className="error">{error}</p> : null}
      <div className="board-scroll">
        <table className="data board-table">
          <TableHead labels={['Status', 'Rider', 'Driver', 'Type', 'Age', 'Pickup']} />
          <tbody>
            {[...active, ...recent].map((b) => (
              <tr
                key={b.id}
                data-testid={`booking-row-${b.id}`}
                data-status={b.status}
                className={`${b.escalated ? 'escalated' : ''} ${selected === b.id ? 'selected' : ''}`}
              >
                <td>
                  <button
                    type="button"
                    className="row-button"
                    aria-pressed={selected === b.id}
                    aria-label={`Audit: ${words(b.status)} booking of ${b.rider?.name ?? 'a rider'}`}
                    onClick={() => onSelect(b.id)}
                  >
                    <span className="status-badge" data-status={b.status}>
                      {words(b.status)}
                    </span>
                  </button>
                  {b.escalated ? <span className="escalated-flag">escalated</span> : null}
                </td>
                <td>{b.rider?.name ?? '—'}</td>
                <td>{b.driver ? `${b.driver.name}${b.driver.plate ? ` · ${b.driver.plate}` : ''}` : '—'}</td>
                <td>{b.vehicleTypeName}</td>
                <td>{age(now - b.createdAt)}</td>
                <td>
                  {b.scheduledFor !== null ? `${clockTime(b.scheduledFor, now)} · ` : ''}
                  {b.pickup.label ?? `${b.pickup.lat.toFixed(4)}, ${b.pickup.lng.toFixed(4)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {active.length + recent.length === 0 ? <p className="muted">No bookings yet.</p> : null}
      </div>
    </section>
  );
});
