import headers from './static-security-headers.json';

/**
 * The page CSP: scripts only from this origin with this response's nonce (Next stamps it on its
 * own scripts), no plugins, no framing, forms and sockets only to us and the realtime server.
 * Styles allow inline attributes: React and MapLibre set element styles.
 */
export function contentSecurityPolicy(options: {
  nonce: string;
  realtimeUrl: string;
  dev: boolean;
  /** The operator's basemap (MAP_STYLE_URL): its origin may serve the style, tiles, glyphs, sprites. */
  mapStyleUrl?: string | undefined;
}): string {
  const realtime = new URL(options.realtimeUrl);
  const ws = `${realtime.protocol === 'https:' ? 'wss:' : 'ws:'}//${realtime.host}`;
  const map = mapOrigin(options.mapStyleUrl);
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${map}`,
    "font-src 'self'",
    `connect-src 'self' ${realtime.origin} ${ws}${map}`,
    // MapLibre runs its tile workers from blob: URLs; the PWA's service worker is ours.
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** ' <origin>' of a map style URL (`pmtiles://https://…` counts as its https origin), or ''. */
function mapOrigin(styleUrl: string | undefined): string {
  return styleUrl ? ` ${new URL(styleUrl.replace(/^pmtiles:\/\//, '')).origin}` : '';
}

/**
 * Headers every response carries (also set by nginx in deployment; harmless twice). They are data
 * in a JSON file because next.config.js, plain JavaScript, sets them too and reads the same file.
 * Browsers honour HSTS only over HTTPS (nginx in deployment); over plain HTTP it is ignored.
 */
export const staticSecurityHeaders: { key: string; value: string }[] = headers;
