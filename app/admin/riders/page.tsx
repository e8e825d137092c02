import { RidersPanel } from '@/components/admin/RidersPanel';
import { requireRole } from '@/server/web/page-guard';

export default async function AdminRidersPage() {
  await requireRole(['admin'], '/admin/riders');
  return <RidersPanel />;
}
