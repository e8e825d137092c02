import { DriverConsole } from '@/components/driver/DriverConsole';
import { requireRole } from '@/server/web/page-guard';

export default async function DriverPage() {
  await requireRole(['driver'], '/driver');
  return <DriverConsole />;
}
