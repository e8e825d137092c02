import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { DocsLinks } from '../docs/DocsLinks';
import { RedocView } from './RedocView';

export const metadata: Metadata = { title: 'API reference (ReDoc) · OpenDispatch' };

/** Public: the API reference describes the API; calling it still needs a session. */
export default async function RedocPage() {
  // proxy.ts puts this request's CSP nonce here.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <>
      <DocsLinks current="redoc" />
      <RedocView specUrl="/api/openapi.json" nonce={nonce} />
    </>
  );
}
