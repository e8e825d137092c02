import { openApiDocument } from '@/server/openapi/document';

// Built from the running router at run time, never at build time.
export const dynamic = 'force-dynamic';

/** The OpenAPI 3.1 document of the REST surface (public: it describes, it grants nothing). */
export function GET() {
  return Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
}
