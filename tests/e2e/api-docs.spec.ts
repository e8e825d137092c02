import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { demoCity } from '@/domain/city';
import { listProcedures } from '@/server/openapi/procedures';
import { restPathOf } from '@/server/openapi/rest-handler';
import { appRouter } from '@/server/trpc/routers/app';
import { signIn } from './support';

/**
 * The API reference: /docs (Swagger UI) and /redoc (ReDoc) render the generated document with
 * their vendored bundles under the page CSP (nonces, 'strict-dynamic'), and show every procedure
 * of the router: the expected list is read from the router itself, so procedures added later are
 * expected without editing this file. The REST surface answers with the browser's own session.
 */
interface Operation {
  operationId: string;
  method: string;
  path: string;
}

/** What the router has: one operation per procedure. */
const expected: Operation[] = listProcedures(appRouter).map((p) => ({
  operationId: p.path,
  method: p.type === 'query' ? 'get' : 'post',
  path: restPathOf(p.path),
}));
const key = (o: { method?: string; path?: string | null; operationId?: string | null }) =>
  `${o.method} ${o.path} ${o.operationId}`;

/** The served document lists exactly the router's procedures. */
async function documentedOperations(request: APIRequestContext): Promise<Operation[]> {
  const res = await request.get('/api/openapi.json');
  expect(res.ok()).toBe(true);
  const doc = (await res.json()) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string }>>;
  };
  expect(doc.openapi).toBe('3.1.0');
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ operationId: op.operationId, method, path })),
  );
  expect(operations.map(key).sort()).toEqual(expected.map(key).sort());
  return operations;
}

/**
 * CSP violations (reported by the page itself and on the console), script errors, and any
 * request that leaves this origin (no CDN, no validator badge).
 */
async function watch(page: Page, origin: string) {
  const problems: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => problems.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportCspViolation(t: string): void }).reportCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI}`,
      ),
    );
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !/^(data|blob):/.test(url)) problems.push(`request left the site: ${url}`);
  });
  return problems;
}

/** The page was served under the nonce CSP: scripts only with this response's nonce. */
function expectNonceCsp(headers: Record<string, string>) {
  const scriptSrc = headers['content-security-policy']
    ?.split(';')
    .find((d) => d.trim().startsWith('script-src'));
  expect(scriptSrc).toMatch(/^\s*script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(scriptSrc).not.toContain('unsafe-inline');
}

test('Swagger UI at /docs shows every procedure of the router', async ({ page, request, baseURL }) => {
  expect(expected.length).toBeGreaterThan(40);
  await documentedOperations(request);
  const problems = await watch(page, baseURL!);
  const response = await page.goto('/docs');
  expectNonceCsp(response!.headers());
  await expect(page.locator('.swagger-ui .opblock')).toHaveCount(expected.length, { timeout: 60_000 });
  const shown = await page.locator('.swagger-ui .opblock').evaluateAll((blocks) =>
    blocks.map((b) => ({
      method: b.querySelector('.opblock-summary-method')?.textContent?.toLowerCase(),
      path: b.querySelector('.opblock-summary-path')?.getAttribute('data-path'),
      operationId: b.querySelector('.opblock-summary-operation-id')?.textContent,
    })),
  );
  expect(shown.map(key).sort()).toEqual(expected.map(key).sort());
  // An operation opens with its example and error responses.
  const create = page.locator('.swagger-ui .opblock', {
    has: page.locator('.opblock-summary-operation-id', { hasText: /^booking\.create$/ }),
  });
  await create.locator('.opblock-summary').click();
  await expect(create.locator('.responses-table').first()).toContainText('409');
  await expect(create.locator('.responses-table').first()).toContainText('quoteToken');
  expect(problems).toEqual([]);
});

test('ReDoc at /redoc shows every procedure of the router', async ({ page, request, baseURL }) => {
  await documentedOperations(request);
  const problems = await watch(page, baseURL!);
  const response = await page.goto('/redoc');
  expectNonceCsp(response!.headers());
  await expect(page.getByTestId('redoc')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  for (const op of expected) {
    // ReDoc gives each operation a section `operation/<operationId>` showing its method and path.
    const section = page.locator(`[id="operation/${op.operationId}"]`);
    await expect(section, op.operationId).toHaveCount(1);
    await expect(section, op.operationId).toContainText(op.path);
  }
  expect(await page.locator('[id^="operation/"]').count()).toBe(expected.length);
  expect(problems).toEqual([]);
});

test('the REST surface answers with the browser session and refuses cross-site posts', async ({
  page,
  baseURL,
}) => {
  await signIn(page, 'rider@demo.test');
  const api = page.request;
  const me = await api.get('/api/v1/me');
  expect(await me.json()).toMatchObject({ data: { email: 'rider@demo.test', role: 'rider' } });
  const quote = {
    pickup: demoCity.center,
    dropoff: { lat: demoCity.center.lat + 0.02, lng: demoCity.center.lng + 0.015 },
    vehicleTypeId: 'economy',
  };
  const own = await api.post('/api/v1/pricing/quote', { data: quote, headers: { origin: baseURL! } });
  expect(own.status()).toBe(200);
  expect(((await own.json()) as { data: { fare: { total: number } } }).data.fare.total).toBeGreaterThan(0);
  const forged = await api.post('/api/v1/pricing/quote', {
    data: quote,
    headers: { origin: 'https://evil.example' },
  });
  expect(forged.status()).toBe(403);
  expect(await forged.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  const anonymous = await page.context().browser()!.newContext({ baseURL });
  const signedOut = await anonymous.request.get('/api/v1/booking/mine');
  expect(signedOut.status()).toBe(401);
  await anonymous.close();
});
