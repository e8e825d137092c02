import { expect, test } from '@playwright/test';
import { demoCity } from '@/domain/city';
import { signIn } from './support';

/**
 * T13 (../shared/guides/reliability.md) against the running web process: security headers and a
 * nonce CSP on pages, cross-site state changes refused, the middleware-skip header ignored, and
 * session cookies HttpOnly and SameSite. (Secure cookies and HSTS over TLS: the nginx test.)
 */
test('every page carries the security headers and a fresh nonce CSP that its scripts use', async ({
  page,
  request,
}) => {
  const first = await request.get('/signin');
  const second = await request.get('/signin');
  for (const res of [first, second]) {
    const h = res.headers();
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(h['content-security-policy']).toMatch(
      /script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/,
    );
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  }
  const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonceOf(first.headers()['content-security-policy']!)).not.toBe(
    nonceOf(second.headers()['content-security-policy']!),
  );

  // The page still works under its policy: no CSP violations while signing in and loading the map.
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  await signIn(page, 'dispatcher@demo.test');
  await expect(page.getByTestId('live-map')).toBeVisible();
  expect(violations).toEqual([]);

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.endsWith('next-auth.session-token'));
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
});

test('cross-site posts are refused before they reach a procedure or next-auth', async ({ page }) => {
  await signIn(page, 'rider@demo.test');
  const api = page.request;
  const quote = {
    pickup: demoCity.center,
    dropoff: { lat: demoCity.center.lat + 0.02, lng: demoCity.center.lng + 0.015 },
    vehicleTypeId: 'economy',
  };
  // The rider's own page may.
  const own = await api.post('/api/trpc/pricing.quote', {
    data: quote,
    headers: { origin: 'http://localhost:3100' },
  });
  expect(own.status()).toBe(200);
  const attacks: Record<string, string>[] = [
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { 'sec-fetch-site': 'cross-site' },
    // CVE-2025-29927's header changes nothing: checks live in the routes, not the proxy.
    { origin: 'https://evil.example', 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
  ];
  for (const headers of attacks) {
    const res = await api.post('/api/trpc/pricing.quote', { data: quote, headers });
    expect(res.status(), JSON.stringify(headers)).toBe(403);
    // A form post (the classic CSRF) to sign-out or sign-in.
    const form = await api.post('/api/auth/signout', { form: { csrfToken: 'x' }, headers });
    expect(form.status(), JSON.stringify(headers)).toBe(403);
  }
  // Still signed in: nothing above did anything.
  await page.goto('/rider');
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
});

test('pages check the role themselves, whatever headers claim', async ({ request }) => {
  const res = await request.get('/dispatch', {
    headers: { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
    maxRedirects: 0,
  });
  expect([302, 303, 307]).toContain(res.status());
  expect(res.headers().location).toMatch(/\/signin/);
});
