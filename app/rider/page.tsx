import { RiderHome } from '@/components/rider/RiderHome';
import { requireRole } from '@/server/web/page-guard';

export default async function RiderPage() {
  const user = await requireRole(['rider'], '/rider');
  return <RiderHome name={user.name} />;
}
