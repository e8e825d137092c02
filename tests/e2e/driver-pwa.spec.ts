import { expect, test } from '@playwright/test';
import { placeById } from '@/components/rider/demo-places';
import { offsetMeters } from '@/domain/geo';
import { at6, goOnline, mapRendersDriverAt, renderedDriver, signIn, trpcQuery } from './support';

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
  test.setTimeout(150_000);
  // One fix, then none: an emulated position is stamped once, when set, so the phone sends it and
  // then has nothing new to send (like a phone that lost its GPS). Montevideo Shopping: no other test's cars.
  const at = at6(offsetMeters(placeById('montevideo-shopping')!, 0, 300));
  const context = await browser.newContext({
    geolocation: { latitude: at.lat, longitude: at.lng, accuracy: 5 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  const dispatcherContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const dispatcher = await dispatcherContext.newPage();
  await signIn(dispatcher, 'dispatcher@demo.test');
  await expect(dispatcher.getByTestId('ops-connection')).toHaveText('connected');
  await goOnline(page, 'driver2@demo.test');
  await expect(page.getByTestId('driver-state')).toHaveText('available');

  // While the position is fresh, dispatch sees her on the map and would offer her a trip here.
  const row = dispatcher.getByTestId('driver-list').getByRole('listitem').filter({ hasText: 'Divya Driver' });
  await expect(row).toHaveAttribute('data-lat', at.lat.toFixed(6));
  const driverId = (await row.getAttribute('data-testid'))!.replace('driver-row-', '');
  await mapRendersDriverAt(dispatcher, driverId, at.lng, at.lat);
  await expect(row).not.toContainText('stale');
  const nearestIds = async () => {
    const types = await trpcQuery<{ id: string }[]>(dispatcher, 'catalog.vehicleTypes');
    const input = { ...at, vehicleTypeIds: types.map((t) => t.id) };
    const nearest = await trpcQuery<{ driverId: string }[]>(dispatcher, 'operations.nearestDrivers', input);
    return nearest.map((d) => d.driverId);
  };
  expect(await nearestIds()).toContain(driverId);

  // 30 s without a new position: the phone warns, the dispatcher's map flags her stale (list and
  // map point), and the nearest-drivers answer (what dispatch offers) leaves her out.
  await expect(page.getByTestId('stale-warning')).toContainText('Dispatch cannot see you', {
    timeout: 45_000,
  });
  await expect(row).toContainText('stale');
  await expect.poll(async () => (await renderedDriver(dispatcher, driverId))?.stale).toBe(true);
  await expect.poll(nearestIds, { timeout: 15_000 }).not.toContain(driverId);

  await page.getByRole('button', { name: 'Go offline' }).click();
  await expect(page.getByTestId('driver-state')).toHaveText('offline');
  await expect(row).toHaveCount(0);
  await dispatcherContext.close();
  await context.close();
});
