import { expect, test } from '@playwright/test';
import { latLngToCell } from 'h3-js';
import { placeById } from '@/components/rider/demo-places';
import { fareTableRows } from '@/db/demo-data';
import { defaultCancellationPolicy } from '@/domain/cancellation';
import { offsetMeters } from '@/domain/geo';
import { formatMoney } from '@/domain/money';
import type { FareBreakdown } from '@/domain/pricing';
import { serviceAreaResolution } from '@/domain/service-area';
import type { CellSurge } from '@/domain/surge';
import {
  at6,
  clickTripMapAt,
  EmulatedDrive,
  goOnline,
  roadRouteDrawn,
  signIn,
  tripMarkerAt,
  trpcQuery,
} from './support';

/**
 * The Jardín Botánico is ~5.4 km from the city centre, where the other browser tests put their drivers
 * (and take them offline again): beyond dispatch's first 3 km round, so this driver, 400 m from
 * the pickup, is the only and so the nearest candidate. The simulator does not run in e2e.
 */
const pickup = placeById('jardin-botanico')!;
const driverStart = at6(offsetMeters(pickup, 400, 0));
const nearPickup = at6(offsetMeters(pickup, 150, 0));
const dropoffPoint = at6(offsetMeters(pickup, -1_200, -1_600));
const economy = fareTableRows.find((f) => f.vehicleTypeId === 'economy')!;

test('a rider books, a driver takes the trip, the rider follows it live to the receipt', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const riderContext = await browser.newContext({ viewport: { width: 600, height: 1100 } });
  const drive = await EmulatedDrive.start(browser, driverStart);
  const rider = await riderContext.newPage();
  const driver = await drive.context.newPage();

  // The rider plans: a named pickup, a drop-off clicked on the map, the fare with its breakdown.
  await signIn(rider, 'rider@demo.test');
  await expect(rider).toHaveURL(/\/rider$/);
  await rider.getByRole('combobox', { name: 'Pickup place' }).selectOption({ label: 'Jardín Botánico' });
  await tripMarkerAt(rider, 'pickup-marker', pickup);
  await clickTripMapAt(rider, dropoffPoint);
  await expect(rider.getByTestId('dropoff-value')).toContainText('Pin at');
  await expect(rider.getByTestId('dropoff-marker')).toBeVisible();

  // Surge, from real demand and supply: an earlier quote from this pickup's cell, where no car is on
  // duty yet, is one request for none; the workers' surge job (every 10 s) prices the cell at
  // 1 + (1 ÷ 0.5 − 1) × 0.5 = ×1.5 (supply counts as at least half a car), and dispatch sees why.
  const sameTrip = { pickup, dropoff: dropoffPoint, vehicleTypeId: 'economy', scheduledFor: null };
  const earlier = await rider.request.post('/api/trpc/pricing.quote', { data: sameTrip });
  expect(earlier.ok(), `pricing.quote: HTTP ${earlier.status()}`).toBe(true);
  const reason = 'High demand: 1 requests for 0 available cars nearby';
  const ops = await (await browser.newContext()).newPage();
  await signIn(ops, 'dispatcher@demo.test');
  const cell = latLngToCell(pickup.lat, pickup.lng, serviceAreaResolution);
  await expect
    .poll(async () => (await trpcQuery<CellSurge[]>(ops, 'operations.surge')).find((c) => c.cell === cell), {
      timeout: 30_000,
    })
    .toMatchObject({ multiplier: 1.5, demand: 1, supply: 0, reason });
  await ops.context().close();

  const quoted = rider.waitForResponse((r) => r.url().includes('/api/trpc/pricing.quote'));
  await rider.getByRole('button', { name: 'See the fare' }).click();
  const [answer] = (await (await quoted).json()) as {
    result: { data: { fare: FareBreakdown; currency: string; route: unknown[] | null } };
  }[];
  const fare = answer!.result.data.fare;
  // Priced along the roads: the map draws the quote's road route instead of the straight guess.
  const routePoints = answer!.result.data.route?.length ?? 0;
  expect(routePoints).toBeGreaterThan(5);
  await roadRouteDrawn(rider, routePoints);
  // The demo city's money: Montevideo prices in Uruguayan pesos.
  expect(answer!.result.data.currency).toBe('UYU');
  const metered = fare.base + fare.distance + fare.time;
  expect(fare).toMatchObject({ surgeMultiplier: 1.5, surgeReason: reason });
  expect(fare.surge).toBe(Math.round(metered * 1.5) - metered);
  const quote = rider.getByTestId('quote');
  await expect(quote.getByTestId('fare-base')).toHaveText(formatMoney(economy.baseFare));
  await expect(quote.getByTestId('fare-fee')).toHaveText(formatMoney(economy.bookingFee));
  await expect(quote.getByTestId('fare-distance')).toHaveText(formatMoney(fare.distance));
  await expect(quote.getByTestId('fare-time')).toHaveText(formatMoney(fare.time));
  await expect(quote.getByTestId('fare-surge')).toBeVisible();
  await expect(quote.getByTestId('fare-surge')).toHaveText(formatMoney(fare.surge));
  await expect(quote.locator('tr.fare-surge')).toContainText(`Surge ×1.5 · ${reason}`);
  await expect(quote.getByTestId('quote-expiry')).toHaveText(/Price locked for [45]:\d\d/);
  const total = (await quote.getByTestId('fare-total').textContent())!;
  expect(total).toBe(formatMoney(fare.total));
  expect(total).toMatch(/^UYU\s[\d,]+$/);

  // The driver comes online 400 m from the pickup just before the rider books (one fresh position).
  await goOnline(driver, 'driver@demo.test');

  // The first answer to "book" is lost on its way back (the server did book): the page sends the
  // same request again with the same idempotency key and gets the same booking, not a second one.
  const sent: { key: string; replayed: boolean | null }[] = [];
  const bookingCreate = (url: URL) => url.pathname === '/api/trpc/booking.create';
  await rider.route(bookingCreate, async (route) => {
    const body = route.request().postDataJSON() as Record<string, { idempotencyKey: string }>;
    const response = await route.fetch();
    const [answer] = (await response.json()) as { result?: { data: { replayed: boolean } } }[];
    sent.push({ key: body['0']!.idempotencyKey, replayed: answer?.result?.data.replayed ?? null });
    if (sent.length === 1) await route.abort('connectionreset');
    else await route.fulfill({ response });
  });
  await rider.getByRole('button', { name: 'Book now' }).dblclick();
  const trip = rider.getByTestId('live-trip');
  await expect(trip).toBeVisible();
  const bookingId = (await trip.getAttribute('data-booking-id'))!;
  expect(sent).toEqual([
    { key: expect.any(String), replayed: false },
    { key: sent[0]!.key, replayed: true },
  ]);
  const mine = await trpcQuery<{ id: string }[]>(rider, 'booking.mine');
  expect(mine.map((b) => b.id)).toEqual([bookingId]);
  await rider.unroute(bookingCreate);

  // The offer rings on the driver's phone: where, how far, what it pays, how long is left.
  const offer = driver.getByTestId('offer-card');
  await expect(offer).toHaveAttribute('data-booking-id', bookingId);
  await expect(offer.getByTestId('offer-pickup')).toContainText('Jardín Botánico');
  await expect(offer.getByTestId('offer-distance')).toContainText('400 m away');
  await expect(offer.getByTestId('offer-fare')).toHaveText(total);
  await expect(offer.getByTestId('offer-countdown')).toHaveText(/0:\d\d/);
  await expect(rider.getByTestId('trip-status')).toHaveText('Finding your driver…');
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(offer).toHaveCount(0);
  const panel = driver.getByTestId('trip-panel');
  await expect(panel).toHaveAttribute('data-status', 'accepted');
  await expect(panel.getByTestId('trip-rider')).toHaveText('Riya Rider');
  await expect(driver.getByTestId('driver-state')).toHaveText('en route');
  // The driver sees the way: the road route to the pickup on a map, and the next road to take.
  const way = panel.getByTestId('trip-way');
  await expect(way).toContainText(/to the pickup/);
  await expect(panel.getByTestId('trip-next-road')).toHaveText(/\S/);
  const wayPoints = Number(await way.getAttribute('data-points'));
  expect(wayPoints).toBeGreaterThan(1);
  await roadRouteDrawn(driver, wayPoints);

  // The rider sees who is coming, in which car, where it is and how soon.
  const status = rider.getByTestId('trip-status');
  await expect(status).toHaveAttribute('data-status', 'accepted');
  await expect(rider.getByTestId('driver-name')).toHaveText('Dinesh Driver');
  await expect(rider.getByTestId('driver-vehicle')).toHaveText('White Maruti Dzire');
  await expect(rider.getByTestId('driver-plate')).toHaveText('KA-01-AA-1000');
  await expect(rider.getByTestId('driver-eta')).toHaveText(/At the pickup in (under a minute|\d+ min)/);
  await tripMarkerAt(rider, 'driver-marker', driverStart);
  // The rider's map draws the road the driver is on, to the pickup.
  const seen = await trpcQuery<{ way?: { to: string; path: unknown[] } }>(rider, 'booking.get', {
    bookingId,
  });
  expect(seen.way?.to).toBe('pickup');
  await roadRouteDrawn(rider, seen.way!.path.length);
  await expect(rider.getByTestId('cancel-rule')).toContainText('Free until');

  // A reload finds the trip again (booking.mine), with the driver where the server last saw them.
  await rider.reload();
  await expect(status).toHaveAttribute('data-status', 'accepted');
  await expect(rider.getByTestId('driver-plate')).toHaveText('KA-01-AA-1000');
  await tripMarkerAt(rider, 'driver-marker', driverStart);

  // The driver drives towards the pickup; the rider's map follows.
  await drive.to(nearPickup);
  await tripMarkerAt(rider, 'driver-marker', nearPickup);

  await panel.getByRole('button', { name: 'Arrived at pickup' }).click();
  await expect(panel).toHaveAttribute('data-status', 'arrived');
  await expect(status).toHaveAttribute('data-status', 'arrived');
  await expect(rider.getByTestId('driver-eta')).toHaveText('Waiting for you at the pickup');
  await expect(rider.getByTestId('cancel-rule')).toContainText(formatMoney(defaultCancellationPolicy.fee));

  // The driver's phone reloads mid-trip: driver.work restores the trip where it was.
  await driver.reload();
  drive.restamp();
  await expect(panel).toHaveAttribute('data-status', 'arrived');

  await panel.getByRole('button', { name: 'Start trip' }).click();
  await expect(panel).toHaveAttribute('data-status', 'in_progress');
  await expect(way).toContainText(/to the drop-off/);
  await expect(status).toHaveAttribute('data-status', 'in_progress');
  await expect(driver.getByTestId('driver-state')).toHaveText('on trip');
  await expect(rider.getByTestId('cancel-trip')).toHaveCount(0);
  const onTheWay = at6(offsetMeters(nearPickup, -150, -150));
  await drive.to(onTheWay);
  await tripMarkerAt(rider, 'driver-marker', onTheWay);
  await expect(rider.getByTestId('driver-eta')).toHaveText(/Drop-off in/);

  await panel.getByRole('button', { name: 'Complete trip' }).click();
  await expect(driver.getByTestId('trip-panel')).toHaveCount(0);
  await expect(driver.getByTestId('driver-notice')).toHaveText(`Trip completed · collect ${total}`);
  await expect(driver.getByTestId('driver-state')).toHaveText('available');

  // The receipt: the fare locked at booking, line by line.
  await expect(status).toHaveAttribute('data-status', 'completed');
  const receipt = rider.getByTestId('receipt');
  await expect(receipt.getByTestId('fare-total')).toHaveText(total);
  await expect(receipt.getByTestId('fare-base')).toHaveText(formatMoney(economy.baseFare));
  await expect(receipt.getByTestId('fare-surge')).toHaveText(formatMoney(fare.surge));
  await expect(receipt).toContainText('Dinesh Driver · KA-01-AA-1000');
  await expect(rider.getByTestId('driver-marker')).toHaveCount(0);

  // Dispatch can see why this driver got the trip, and every step with who and when.
  const dispatcherContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const dispatcher = await dispatcherContext.newPage();
  await signIn(dispatcher, 'dispatcher@demo.test');
  const row = dispatcher.getByTestId(`booking-row-${bookingId}`);
  await expect(row).toHaveAttribute('data-status', 'completed');
  await row.getByRole('button').click();
  const audit = dispatcher.getByTestId('booking-audit');
  await expect(audit.getByTestId('audit-winner')).toContainText(
    'Dinesh Driver won round 1 at rank 1: pickup in',
  );
  await expect(audit.getByTestId('audit-events').locator('li')).toHaveCount(7);
  await expect(audit.getByTestId('audit-events')).toContainText('offer accepted by Dinesh Driver (driver)');
  await expect(audit.getByTestId('audit-events')).toContainText('requested by Riya Rider (rider)');

  await driver.getByRole('button', { name: 'Go offline' }).click();
  await expect(driver.getByTestId('driver-state')).toHaveText('offline');
  await dispatcherContext.close();
  await drive.context.close();
  await riderContext.close();
});
