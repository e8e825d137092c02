import { expect, test } from '@playwright/test';
import { latLngToCell } from 'h3-js';
import { placeById } from '@/components/rider/demo-places';
import { offsetMeters } from '@/domain/geo';
import { serviceAreaResolution } from '@/domain/service-area';
import { at6, EmulatedDrive, goOnline, signIn } from './support';

/**
 * The Mercado del Puerto is ~4.4 km west of the centre and ~5.4 km from the Jardín Botánico, where the other browser
 * tests put their drivers: this driver, 300 m from the pickup, is the nearest candidate.
 */
const pickup = placeById('mercado-del-puerto')!;
const driverStart = at6(offsetMeters(pickup, 0, 300));

test('the schedule window is explained before and when the server refuses a time', async ({ page }) => {
  await signIn(page, 'rider2@demo.test');
  await page.getByRole('combobox', { name: 'Pickup place' }).selectOption({ label: 'Mercado del Puerto' });
  await page.getByRole('combobox', { name: 'Drop-off place' }).selectOption({ label: 'Plaza Independencia' });
  await page.getByLabel('Schedule for later').check();
  await expect(page.getByTestId('schedule-window')).toContainText('at least 15 min and at most 7 days ahead');
  // Five minutes ahead: inside what the form offers to type, outside what the server allows.
  const tooSoon = await page.evaluate(() => {
    const at = Date.now() + 5 * 60_000;
    return new Date(at - new Date(at).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  });
  await page.getByLabel('Pickup time').fill(tooSoon);
  await page.getByRole('button', { name: 'See the fare' }).click();
  await expect(page.getByTestId('schedule-error')).toHaveText(
    'scheduledFor: must be at least 15 minutes from now (or book now)',
  );
  await expect(page.getByTestId('quote')).toHaveCount(0);
});

test('the rider cancels while the offer rings: it vanishes from the driver’s phone, free of charge', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const riderContext = await browser.newContext({ viewport: { width: 600, height: 1100 } });
  const drive = await EmulatedDrive.start(browser, driverStart);
  const dispatcherContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const rider = await riderContext.newPage();
  const driver = await drive.context.newPage();
  const dispatcher = await dispatcherContext.newPage();

  await signIn(dispatcher, 'dispatcher@demo.test');
  await expect(dispatcher.getByTestId('ops-connection')).toHaveText('connected');

  await signIn(rider, 'rider2@demo.test');
  await rider.getByRole('combobox', { name: 'Pickup place' }).selectOption({ label: 'Mercado del Puerto' });
  await rider
    .getByRole('combobox', { name: 'Drop-off place' })
    .selectOption({ label: 'Plaza Independencia' });
  await rider.getByRole('button', { name: 'See the fare' }).click();
  await expect(rider.getByTestId('quote').getByTestId('fare-total')).toHaveText(/^UYU\s[\d,]+$/);

  await goOnline(driver, 'driver2@demo.test');
  await rider.getByRole('button', { name: 'Book now' }).click();
  const trip = rider.getByTestId('live-trip');
  const bookingId = (await trip.getAttribute('data-booking-id'))!;
  await expect(rider.getByTestId('cancel-rule')).toContainText('Free to cancel now');

  const offer = driver.getByTestId('offer-card');
  await expect(offer).toHaveAttribute('data-booking-id', bookingId);
  await expect(rider.getByTestId('trip-status')).toHaveAttribute('data-status', 'offered');
  await rider.getByRole('button', { name: 'Cancel trip' }).click();
  await rider.getByRole('button', { name: 'Yes, cancel for free' }).click();

  // Withdrawn on the phone (not run out: the notice says why it went).
  await expect(offer).toHaveCount(0);
  await expect(driver.getByTestId('driver-notice')).toHaveText('Offer withdrawn: the rider cancelled');
  await expect(driver.getByTestId('driver-state')).toHaveText('available');
  await expect(rider.getByTestId('trip-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(rider.getByTestId('trip-detail')).toHaveText('You cancelled · no fee.');

  // The board follows live (booking:board events), not only its 30 s backstop reload.
  const row = dispatcher.getByTestId(`booking-row-${bookingId}`);
  await expect(row).toHaveAttribute('data-status', 'cancelled');
  await row.getByRole('button').click();
  const audit = dispatcher.getByTestId('booking-audit');
  await expect(audit.getByTestId('audit-events')).toContainText('rider cancelled by Rahul Rider (rider)');
  await expect(audit.getByTestId('audit-round-1').locator('tr[data-outcome="withdrawn"]')).toContainText(
    'Divya Driver',
  );

  // The quote and the booking counted as demand in the pickup's cell: the surge layer shows it.
  await dispatcher.getByLabel('Surge by area').check();
  const cell = latLngToCell(pickup.lat, pickup.lng, serviceAreaResolution);
  await expect(dispatcher.getByTestId('surge-layer').locator(`li[data-cell="${cell}"]`)).toBeVisible({
    timeout: 40_000,
  });
  await expect
    .poll(() =>
      dispatcher.evaluate(
        (id) =>
          (window.__odMap?.queryRenderedFeatures({ layers: ['surge'] }) ?? []).some(
            (f) => f.properties?.cell === id,
          ),
        cell,
      ),
    )
    .toBe(true);

  await driver.getByRole('button', { name: 'Go offline' }).click();
  await expect(driver.getByTestId('driver-state')).toHaveText('offline');
  await dispatcherContext.close();
  await drive.context.close();
  await riderContext.close();
});
