import { requireRole } from '@/server/web/page-guard';

export default async function RiderPage() {
  const user = await requireRole(['rider'], '/rider');
  return (
    <section className="card narrow" data-testid="rider-home">
      <h1>Hello, {user.name}</h1>
      <p>Trip booking is not open yet on this deployment.</p>
    </section>
  );
}
