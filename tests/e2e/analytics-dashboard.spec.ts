import { expect, test } from '@playwright/test';
import { latLngToCell } from 'h3-js';
import { placeById } from '@/components/rider/demo-places';
import { offsetMeters } from '@/domain/geo';
import { formatMoney } from '@/domain/money';
import { at6, EmulatedDrive, goOnline, signIn } from './support';

/**
 * Portones Shopping is ~8 km east of the centre, far from where the other browser tests put their
 * drivers: this driver, 300 m away, is the only candidate. The admin's dashboard stays open the
 * whole time and must count the trip by itself (it refreshes every 10 s), without a reload.
 */
const pickup = placeById('portones')!;
const driverStart = at6(offsetMeters(pickup, 0, 300));

test('the admin dashboard counts a completed booking live, on the map and in the CSV', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const adminContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const riderContext = await browser.newContext({ viewport: { width: 600, height: 1100 } });
  const drive = await EmulatedDrive.start(browser, driverStart);
  const admin = await adminContext.newPage();
  const rider = await riderContext.newPage();
  const driver = await drive.context.newPage();

  await signIn(admin, 'admin@demo.test');
  await admin.goto('/admin/analytics');
  const made = admin.getByTestId('summary-made-value');
  const completed = admin.getByTestId('summary-completed-value');
  await expect(completed).toHaveText(/^\d+$/);
  const before = { made: Number(await made.textContent()), completed: Number(await completed.textContent()) };

  // A rider books a trip from Portones Shopping; the driver takes it to the end.
  await signIn(rider, 'rider2@demo.test');
  await rider.getByRole('combobox', { name: 'Pickup place' }).selectOption({ label: 'Portones Shopping' });
  await rider.getByRole('combobox', { name: 'Drop-off place' }).selectOption({ label: 'Parque Rivera' });
  await rider.getByRole('button', { name: 'See the fare' }).click();
  const total = (await rider.getByTestId('quote').getByTestId('fare-total').textContent())!;
  await goOnline(driver, 'driver2@demo.test');
  await rider.getByRole('button', { name: 'Book now' }).click();
  const offer = driver.getByTestId('offer-card');
  await offer.getByRole('button', { name: 'Accept' }).click();
  const panel = driver.getByTestId('trip-panel');
  await panel.getByRole('button', { name: 'Arrived at pickup' }).click();
  await expect(panel).toHaveAttribute('data-status', 'arrived');
  await panel.getByRole('button', { name: 'Start trip' }).click();
  await expect(panel).toHaveAttribute('data-status', 'in_progress');
  await panel.getByRole('button', { name: 'Complete trip' }).click();
  await expect(rider.getByTestId('trip-status')).toHaveAttribute('data-status', 'completed');

  // Counted on the open dashboard: Kafka → rollups → the next 10 s refresh.
  await expect(completed).toHaveText(String(before.completed + 1), { timeout: 30_000 });
  await expect(made).toHaveText(String(before.made + 1));
  await expect(admin.getByTestId('summary-revenue-value')).not.toHaveText(formatMoney(0));
  await expect(admin.getByTestId('fairness')).toContainText('Divya Driver');
  // The pickup's area is drawn on the heatmap (demand).
  const cell = latLngToCell(pickup.lat, pickup.lng, 7);
  await admin.waitForFunction(
    (c) =>
      (window.__odAnalyticsMap?.queryRenderedFeatures({ layers: ['cells'] }) ?? []).some(
        (f) => f.properties?.cell === c,
      ),
    cell,
    { timeout: 30_000 },
  );

  // The CSV carries the same trip; it is the admin's alone.
  const csvLink = admin.getByTestId('export-drivers');
  const csv = await admin.request.get((await csvLink.getAttribute('href'))!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toMatch(
    /Divya Driver,[\d.]+,[\d.]+,[\d.]+,[\d.]+,\d+,[\d.]+,\d+,\d+,\d+,[1-9]\d*\r\n/,
  );
  const refused = await rider.request.get((await csvLink.getAttribute('href'))!);
  expect(refused.status()).toBe(403);
  const anonymous = await browser.newContext();
  expect(
    (await anonymous.request.get(`http://localhost:3100${(await csvLink.getAttribute('href'))!}`)).status(),
  ).toBe(401);
  await anonymous.close();
  const tooLong = await admin.request.get(
    '/api/analytics/export?dataset=series&from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z',
  );
  expect(tooLong.status()).toBe(400);
  expect(await tooLong.json()).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'to' } });
  const page = await rider.goto('/admin/analytics');
  expect(page?.status()).toBe(403);
  expect(total).toMatch(/^UYU\s[\d,]+$/);

  await driver.getByRole('button', { name: 'Go offline' }).click();
  await expect(driver.getByTestId('driver-state')).toHaveText('offline');
  await adminContext.close();
  await drive.context.close();
  await riderContext.close();
});
