import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, staticSecurityHeaders } from '@/server/web/content-security-policy';
import { crossSiteRefusal } from '@/server/web/same-origin';

const site = 'https://dispatch.example.com';

function post(headers: Record<string, string>, method = 'POST') {
  return new Request(`${site}/api/trpc/booking.create`, {
    method,
    headers: { host: 'dispatch.example.com', ...headers },
  });
}

describe('cross-site request refusal', () => {
  it('lets same-site pages and non-browser clients through', () => {
    expect(crossSiteRefusal(post({ origin: site }), site)).toBeNull();
    expect(crossSiteRefusal(post({ 'sec-fetch-site': 'same-origin' }), site)).toBeNull();
    expect(crossSiteRefusal(post({}), site)).toBeNull();
    expect(crossSiteRefusal(post({ origin: 'https://evil.example' }, 'GET'), site)).toBeNull();
    // Behind a proxy the browser's host arrives as X-Forwarded-Host.
    expect(
      crossSiteRefusal(
        post({ origin: 'https://localhost:8443', host: 'web:3000', 'x-forwarded-host': 'localhost:8443' }),
        'http://localhost:3000',
      ),
    ).toBeNull();
  });

  it.each([
    ['another site', { origin: 'https://evil.example' }],
    ['a sandboxed frame (Origin: null)', { origin: 'null' }],
    ['a look-alike host', { origin: 'https://dispatch.example.com.evil.example' }],
    ['a cross-site fetch without Origin', { 'sec-fetch-site': 'cross-site' }],
    ['a same-site sibling', { 'sec-fetch-site': 'same-site' }],
  ])('refuses %s with 403', async (_what, headers) => {
    const refused = crossSiteRefusal(post(headers), site);
    expect(refused?.status).toBe(403);
    expect(((await refused!.json()) as { error: { message: string } }).error.message).toMatch(
      /Cross-site request refused/,
    );
  });
});

describe('content security policy', () => {
  it('allows scripts only with the nonce, sockets only to us and realtime, and no framing', () => {
    const csp = contentSecurityPolicy({ nonce: 'abc123', realtimeUrl: 'https://rt.example.com', dev: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("connect-src 'self' https://rt.example.com wss://rt.example.com");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
  });

  it("allows the operator's basemap origin, and nothing else, when MAP_STYLE_URL is set", () => {
    const base = { nonce: 'n', realtimeUrl: 'https://rt.example.com', dev: false };
    const none = contentSecurityPolicy(base);
    expect(none).toContain("img-src 'self' data: blob:;");
    const hosted = contentSecurityPolicy({
      ...base,
      mapStyleUrl: 'https://tiles.example.org/styles/v1/style.json?key=1',
    });
    expect(hosted).toContain(
      "connect-src 'self' https://rt.example.com wss://rt.example.com https://tiles.example.org",
    );
    expect(hosted).toContain("img-src 'self' data: blob: https://tiles.example.org");
    const pmtiles = contentSecurityPolicy({
      ...base,
      mapStyleUrl: 'pmtiles://https://cdn.example.net/city.pmtiles',
    });
    expect(pmtiles).toContain('https://cdn.example.net;');
  });

  it('is the same header set in next.config.js as in the code that documents it', async () => {
    // next.config.js is plain JavaScript without types; only its headers() matters here.
    const config = (await import('@/next.config.js' as string)).default as {
      headers(): Promise<{ headers: unknown }[]>;
    };
    const routes = await config.headers();
    expect(routes[0]?.headers).toEqual(staticSecurityHeaders);
  });
});
