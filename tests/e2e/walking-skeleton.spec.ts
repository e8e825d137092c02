import { expect, test } from '@playwright/test';
import { demoCity } from '@/domain/city';
import { offsetMeters } from '@/domain/geo';
import { mapRendersDriver, mapRendersDriverAt, signIn } from './support';

const start = demoCity.center;

test('a driver goes online and moves; the dispatcher map follows; going offline removes the marker', async ({
  browser,
}) => {
  const driverContext = await browser.newContext({
    geolocation: { latitude: start.lat, longitude: start.lng, accuracy: 5 },
    permissions: ['geolocation'],
  });
  const dispatcherContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const driver = await driverContext.newPage();
  const dispatcher = await dispatcherContext.newPage();

  await signIn(dispatcher, 'dispatcher@demo.test');
  await expect(dispatcher).toHaveURL(/\/dispatch$/);
  await expect(dispatcher.getByTestId('ops-connection')).toHaveText('connected');

  await signIn(driver, 'driver@demo.test');
  await expect(driver).toHaveURL(/\/driver$/);
  await expect(driver.getByTestId('driver-state')).toHaveText('offline');
  await driver.getByRole('button', { name: 'Go online' }).click();
  await expect(driver.getByTestId('driver-state')).toHaveText('available');
  await expect(driver.getByTestId('gps-status')).toContainText('ok');
  await expect(driver.getByTestId('connection-status')).toHaveText('connected');

  const row = dispatcher
    .getByTestId('driver-list')
    .getByRole('listitem')
    .filter({ hasText: 'Dinesh Driver' });
  await expect(row).toHaveAttribute('data-lat', start.lat.toFixed(6));
  await expect(row).toHaveAttribute('data-state', 'available');
  const driverId = (await row.getAttribute('data-testid'))!.replace('driver-row-', '');
  await mapRendersDriverAt(dispatcher, driverId, start.lng, start.lat);

  // A rider nearby sees the car (count and ETA only: never who or exactly where).
  const riderContext = await browser.newContext({
    geolocation: { latitude: start.lat, longitude: start.lng, accuracy: 20 },
    permissions: ['geolocation'],
  });
  const rider = await riderContext.newPage();
  await signIn(rider, 'rider@demo.test');
  await expect(rider.getByTestId('nearby-economy')).toContainText('1 available');
  await expect(rider.getByTestId('nearby-economy')).toContainText('away');
  await riderContext.close();

  // 150 m north: the next 4-second ping carries it (well under the speed filter's limit).
  const moved = offsetMeters(start, 150, 0);
  await driverContext.setGeolocation({ latitude: moved.lat, longitude: moved.lng, accuracy: 5 });
  await expect(row).toHaveAttribute('data-lat', moved.lat.toFixed(6));
  await mapRendersDriverAt(dispatcher, driverId, moved.lng, moved.lat);
  await expect(driver.getByTestId('position-stats')).toContainText('0 waiting');

  // The dispatcher asks where this driver has been (an audited read, only on a click): the
  // history (written by the workers from Kafka) holds both positions, drawn as a line on the map.
  await row.getByRole('button').click();
  await expect(dispatcher.getByTestId('driver-details')).toContainText('Dinesh Driver');
  await expect(async () => {
    const hide = dispatcher.getByRole('button', { name: 'Hide track' });
    if (await hide.isVisible()) await hide.click();
    await dispatcher.getByRole('button', { name: 'Show the last hour’s track' }).click();
    await expect(dispatcher.getByTestId('driver-track-summary')).toContainText(/^([2-9]|\d\d+) positions/, {
      timeout: 3_000,
    });
  }).toPass({ timeout: 30_000 });
  await expect
    .poll(() =>
      dispatcher.evaluate(() => (window.__odMap?.queryRenderedFeatures({ layers: ['track'] }) ?? []).length),
    )
    .toBeGreaterThan(0);

  // Pausing hides the driver from dispatch; the dispatcher sees the state change at once.
  await driver.getByRole('button', { name: 'Pause requests' }).click();
  await expect(driver.getByTestId('driver-state')).toHaveText('paused');
  await expect(row).toHaveAttribute('data-state', 'paused');
  await driver.getByRole('button', { name: 'Resume requests' }).click();
  await expect(row).toHaveAttribute('data-state', 'available');

  await driver.getByRole('button', { name: 'Go offline' }).click();
  await expect(driver.getByTestId('driver-state')).toHaveText('offline');
  await expect(row).toHaveCount(0);
  await expect.poll(() => mapRendersDriver(dispatcher, driverId)).toBe(false);

  await driverContext.close();
  await dispatcherContext.close();
});
