import { checkWebHealth } from '@/server/web/health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness: 200 when Postgres and Redis answer, 503 with the failing checks otherwise. */
export async function GET() {
  const report = await checkWebHealth();
  return Response.json(report, { status: report.ok ? 200 : 503 });
}
