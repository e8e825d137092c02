import { openApiResponse } from '@/server/openapi/document';

// Built from the running router at run time, never at build time.
export const dynamic = 'force-dynamic';

/** Served by the API door (server/web/api-door.ts); this route answers under `next dev` and in-process tests. */
export function GET() {
  return openApiResponse();
}
