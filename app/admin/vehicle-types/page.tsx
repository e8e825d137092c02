import { VehicleTypesPanel } from '@/components/admin/VehicleTypesPanel';
import { requireRole } from '@/server/web/page-guard';

export default async function AdminVehicleTypesPage() {
  await requireRole(['admin'], '/admin/vehicle-types');
  return <VehicleTypesPanel />;
}
