'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { clockTime, formatMoney, words } from '../ui/format';
import { AccountStatus } from './AccountStatus';
import { DetailCard } from './DetailCard';
import { Pill } from './Pill';
import { RevealPii } from './RevealPii';

/** One rider: account, trips by outcome and the latest ones; phone on demand; block or unblock. */
export function RiderDetail({ userId, onClose }: { userId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const rider = useQuery(trpc.admin.riders.get.queryOptions({ userId }));
  const r = rider.data;
  return (
    <DetailCard
      title={r?.name ?? 'Rider'}
      onClose={onClose}
      data-testid="rider-detail"
      data-rider-id={userId}
    >
      {rider.error ? <p className="error">{rider.error.message}</p> : null}
      {r ? (
        <>
          <dl className="status-grid">
            <dt>E-mail</dt>
            <dd>{r.email}</dd>
            <dt>Account</dt>
            <dd>
              <Pill value={r.status}>{r.status === 'suspended' ? 'blocked' : r.status}</Pill>
            </dd>
            <dt>Joined</dt>
            <dd>{new Date(r.createdAt).toLocaleDateString('en-IN')}</dd>
            <dt>Phone</dt>
            <dd>{r.hasPhone ? <RevealPii userId={r.id} field="phone" /> : 'none'}</dd>
            <dt>Trips</dt>
            <dd data-testid="rider-trips">
              {r.trips.total} in all
              {Object.entries(r.trips.byStatus)
                .map(([status, n]) => ` · ${n} ${words(status)}`)
                .join('')}
            </dd>
          </dl>
          <AccountStatus user={r} verb="Block" />
          <h3>Latest trips</h3>
          {r.recent.length === 0 ? <p className="muted">No trips yet.</p> : null}
          <table className="data">
            <tbody>
              {r.recent.map((b) => (
                <tr key={b.id}>
                  <td>{clockTime(b.createdAt)}</td>
                  <td>
                    <span className="status-badge" data-status={b.status}>
                      {words(b.status)}
                    </span>
                  </td>
                  <td>{b.vehicleTypeId}</td>
                  <td>{formatMoney(b.fareTotal, b.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </DetailCard>
  );
}
