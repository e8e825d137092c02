import Link from 'next/link';
import { listFleet } from '@/server/services/list-fleet';
import { webDeps } from '@/server/web/deps';
import { requireRole } from '@/server/web/page-guard';

export default async function AdminPage() {
  await requireRole(['admin'], '/admin');
  const fleet = await listFleet(webDeps().db);
  return (
    <section className="card" data-testid="admin-fleet">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <h1>Fleet</h1>
        <Link href="/dispatch">Live map →</Link>
      </div>
      <table className="data">
        <thead>
          <tr>
            <th>Plate</th>
            <th>Type</th>
            <th>Vehicle</th>
            <th>Status</th>
            <th>Driver</th>
            <th>Availability</th>
          </tr>
        </thead>
        <tbody>
          {fleet.map((v) => (
            <tr key={v.id}>
              <td>{v.plate}</td>
              <td>{v.vehicleType}</td>
              <td>
                {v.color} {v.make} {v.model}
              </td>
              <td>{v.status}</td>
              <td>{v.driverName ?? '—'}</td>
              <td>
                {v.availability ? (
                  <span className="badge" data-state={v.availability}>
                    {v.availability.replace('_', ' ')}
                  </span>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
