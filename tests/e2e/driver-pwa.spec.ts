import { expect, test } from '@playwright/test';
import { signIn } from './support';

test('the driver app is installable: manifest, icons and a service worker', async ({ page, request }) => {
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest).toMatchObject({ start_url: '/driver', display: 'standalone' });
  const sizes = (manifest.icons as { sizes: string; src: string }[]).map((i) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons as { src: string }[]) {
    const response = await request.get(icon.src);
    expect(response.headers()['content-type']).toBe('image/png');
  }
  await signIn(page, 'driver2@demo.test');
  await expect(page).toHaveURL(/\/driver$/);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toMatch(/\/$/);
});

test('a driver whose position is not updating is warned, and dispatch cannot see them', async ({
  browser,
}) => {
  // No geolocation permission: the phone never gets a fix.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'driver2@demo.test');
  await page.getByRole('button', { name: 'Go online' }).click();
  await expect(page.getByTestId('driver-state')).toHaveText('available');
  await expect(page.getByTestId('stale-warning')).toContainText('Dispatch cannot see you');
  await page.getByRole('button', { name: 'Go offline' }).click();
  await expect(page.getByTestId('driver-state')).toHaveText('offline');
  await context.close();
});
