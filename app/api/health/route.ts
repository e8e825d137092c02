import { healthResponse } from '@/server/web/health';

export const dynamic = 'force-dynamic';

/** Served by the API door (server/web/api-door.ts); this route answers under `next dev` and in-process tests. */
export function GET() {
  return healthResponse();
}
