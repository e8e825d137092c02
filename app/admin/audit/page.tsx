import { AuditPanel } from '@/components/admin/AuditPanel';
import { requireRole } from '@/server/web/page-guard';

export default async function AdminAuditPage() {
  await requireRole(['admin'], '/admin/audit');
  return <AuditPanel />;
}
