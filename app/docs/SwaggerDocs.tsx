'use client';

import { useEffect, useRef, useState } from 'react';
import { loadScript } from './load-script';

declare global {
  interface Window {
    SwaggerUIBundle?: (options: Record<string, unknown>) => unknown;
  }
}

/** Swagger UI from the vendored standalone bundle, on the app's own document. */
export function SwaggerDocs({ specUrl, nonce }: { specUrl: string; nonce?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadScript('/vendor/swagger-ui/swagger-ui-bundle.js', nonce)
      .then(() => {
        if (!live || !host.current || !window.SwaggerUIBundle) return;
        window.SwaggerUIBundle({
          url: specUrl,
          domNode: host.current,
          // The default validator badge calls validator.swagger.io: no third-party requests.
          validatorUrl: null,
          // Never let a URL parameter point the page at another document.
          queryConfigEnabled: false,
          deepLinking: true,
          docExpansion: 'list',
          defaultModelsExpandDepth: -1,
          displayOperationId: true,
        });
      })
      .catch((error: Error) => setFailed(error.message));
    return () => {
      live = false;
    };
  }, [specUrl, nonce]);
  if (failed) return <p role="alert">The API reference could not load: {failed}</p>;
  return <div ref={host} data-testid="swagger-ui" />;
}
