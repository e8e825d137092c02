import { ServiceAreaPanel } from '@/components/admin/ServiceAreaPanel';
import { requireRole } from '@/server/web/page-guard';

export default async function AdminServiceAreaPage() {
  await requireRole(['admin'], '/admin/service-area');
  return <ServiceAreaPanel />;
}
