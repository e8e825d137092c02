import { NearbyCars } from '@/components/rider/NearbyCars';
import { requireRole } from '@/server/web/page-guard';

export default async function RiderPage() {
  const user = await requireRole(['rider'], '/rider');
  return (
    <div className="driver-app" data-testid="rider-home">
      <section className="card">
        <h1>Hello, {user.name}</h1>
        <p>Trip booking is not open yet on this deployment; here is what is around you.</p>
      </section>
      <NearbyCars />
    </div>
  );
}
