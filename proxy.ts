import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy } from '@/server/web/content-security-policy';

/**
 * Gives every page request a fresh CSP nonce. This is the only thing the proxy does: access
 * control lives in pages and procedures, never here (CVE-2025-29927 showed why).
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy({
    nonce,
    realtimeUrl: process.env.PUBLIC_REALTIME_URL || 'http://localhost:3001',
    dev: process.env.NODE_ENV === 'development',
    mapStyleUrl: process.env.MAP_STYLE_URL || undefined,
  });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  // Next reads the policy from the request to stamp the nonce on its scripts.
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  // Pages only: API answers are JSON, static files are not documents.
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|icons/|vendor/|sw.js|favicon.ico).*)',
      missing: [{ type: 'header', key: 'next-router-prefetch' }],
    },
  ],
};
