import { AnalyticsDashboard } from '@/components/analytics/AnalyticsDashboard';
import { requireRole } from '@/server/web/page-guard';

export const dynamic = 'force-dynamic';

/** Admins only, checked here on the server; the data behind it checks again (tRPC, CSV route). */
export default async function AnalyticsPage() {
  await requireRole(['admin'], '/admin/analytics');
  return <AnalyticsDashboard />;
}
