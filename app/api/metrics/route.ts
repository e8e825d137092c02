import { webDeps } from '@/server/web/deps';
import { metricsResponse } from '@/server/web/metrics-endpoint';

export const dynamic = 'force-dynamic';

/** Served by the API door (server/web/api-door.ts); this route answers under `next dev` and in-process tests. */
export function GET(request: Request) {
  return metricsResponse(request, webDeps());
}
