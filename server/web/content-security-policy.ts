import headers from './static-security-headers.json';

/**
 * The page CSP: scripts only from this origin with this response's nonce (Next stamps it on its
 * own scripts), no plugins, no framing, forms and sockets only to us and the realtime server.
 * Styles allow inline attributes: React and MapLibre set element styles.
 */
export function contentSecurityPolicy(options: { nonce: string; realtimeUrl: string; dev: boolean }): string {
  const realtime = new URL(options.realtimeUrl);
  const ws = `${realtime.protocol === 'https:' ? 'wss:' : 'ws:'}//${realtime.host}`;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${realtime.origin} ${ws}`,
    // MapLibre runs its tile workers from blob: URLs; the PWA's service worker is ours.
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Headers every response carries (also set by nginx in deployment; harmless twice). They are data
 * in a JSON file because next.config.js, plain JavaScript, sets them too and reads the same file.
 * Browsers honour HSTS only over HTTPS (nginx in deployment); over plain HTTP it is ignored.
 */
export const staticSecurityHeaders: { key: string; value: string }[] = headers;
