import { VehiclesPanel } from '@/components/admin/VehiclesPanel';
import { requireRole } from '@/server/web/page-guard';

export default async function AdminVehiclesPage() {
  await requireRole(['admin'], '/admin');
  return <VehiclesPanel />;
}
