import { DriversPanel } from '@/components/admin/DriversPanel';
import { requireRole } from '@/server/web/page-guard';

export default async function AdminDriversPage() {
  await requireRole(['admin'], '/admin/drivers');
  return <DriversPanel />;
}
