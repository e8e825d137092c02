import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { DocsLinks } from './DocsLinks';
import { SwaggerDocs } from './SwaggerDocs';

export const metadata: Metadata = { title: 'API reference (Swagger UI) · OpenDispatch' };

/** Public: the API reference describes the API; calling it still needs a session. */
export default async function DocsPage() {
  // proxy.ts puts this request's CSP nonce here.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <>
      <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css" precedence="default" />
      <DocsLinks current="swagger" />
      <SwaggerDocs specUrl="/api/openapi.json" nonce={nonce} />
    </>
  );
}
