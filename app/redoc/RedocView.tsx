'use client';

import { useEffect, useRef, useState } from 'react';
import { loadScript } from '../docs/load-script';

declare global {
  interface Window {
    Redoc?: {
      init(
        spec: string,
        options: Record<string, unknown>,
        element: HTMLElement,
        done?: (e?: Error) => void,
      ): void;
    };
  }
}

/** ReDoc from its vendored standalone bundle, on the app's own document. */
export function RedocView({ specUrl, nonce }: { specUrl: string; nonce?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | string>('loading');
  useEffect(() => {
    let live = true;
    loadScript('/vendor/redoc/redoc.standalone.js', nonce)
      .then(() => {
        if (!live || !host.current || !window.Redoc) return;
        window.Redoc.init(
          specUrl,
          { expandResponses: '200', jsonSampleExpandLevel: 3, hideHostname: true },
          host.current,
          (error) => live && setState(error ? String(error) : 'ready'),
        );
      })
      .catch((error: Error) => setState(error.message));
    return () => {
      live = false;
    };
  }, [specUrl, nonce]);
  return (
    <>
      {state !== 'loading' && state !== 'ready' && (
        <p role="alert">The API reference could not load: {state}</p>
      )}
      <div ref={host} data-testid="redoc" data-state={state === 'ready' ? 'ready' : 'loading'} />
    </>
  );
}
