import { PricingPanel } from '@/components/admin/PricingPanel';
import { requireRole } from '@/server/web/page-guard';

export default async function AdminPricingPage() {
  await requireRole(['admin'], '/admin/pricing');
  return <PricingPanel />;
}
