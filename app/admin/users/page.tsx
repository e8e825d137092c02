import { UsersPanel } from '@/components/admin/UsersPanel';
import { requireRole } from '@/server/web/page-guard';

export default async function AdminUsersPage() {
  await requireRole(['admin'], '/admin/users');
  return <UsersPanel />;
}
