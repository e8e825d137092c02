import { OperationsView } from '@/components/operations/OperationsView';
import { operationsRoles } from '@/domain/roles';
import { requireRole } from '@/server/web/page-guard';

export default async function DispatchPage() {
  await requireRole(operationsRoles, '/dispatch');
  return <OperationsView />;
}
