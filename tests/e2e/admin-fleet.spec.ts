import { randomBytes } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { demoCity } from '@/domain/city';
import { offsetMeters } from '@/domain/geo';
import { signIn, trpcQuery } from './support';

/**
 * The admin's journey through the real web build: a new vehicle type, a new driver (onboarded and
 * verified), a new vehicle assigned to them, a fare change; then a rider's next quote for that type
 * is priced with the new fare. Everything is created here, so the demo data other browser tests
 * use is left as it was.
 */
const centre = demoCity.center;
const trip = { pickup: centre, dropoff: offsetMeters(centre, 2_000, 1_000), scheduledFor: null };

interface Quote {
  fare: { base: number; bookingFee: number; distance: number };
}

/** pricing.quote as the rider's page sends it (same cookies, same origin), without the map clicks. */
async function quote(rider: Page, vehicleTypeId: string): Promise<Quote> {
  const response = await rider.request.post('/api/trpc/pricing.quote', { data: { ...trip, vehicleTypeId } });
  expect(response.ok(), `pricing.quote: HTTP ${response.status()}`).toBe(true);
  return ((await response.json()) as { result: { data: Quote } }).result.data;
}

test('an admin creates a vehicle type and a vehicle, assigns it to a driver and changes the fare; the next quote uses it', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = randomBytes(3).toString('hex');
  const typeId = `e2e-${tag}`;
  const typeName = `E2E Van ${tag}`;
  const driverName = `Esha Driver ${tag}`;
  const plate = `E2E-${tag.toUpperCase()}`;
  const admin = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await signIn(admin, 'admin@demo.test');
  await expect(admin).toHaveURL(/\/admin$/);

  // A vehicle type with its fare table: UYU 130 + UYU 70/km + UYU 7.50/min, at least UYU 260, UYU 20 fee.
  await admin.getByRole('link', { name: 'Vehicle types' }).click();
  await admin.getByRole('button', { name: 'New vehicle type' }).click();
  const typeForm = admin.getByTestId('vehicle-type-form');
  await typeForm.getByLabel('Id').fill(typeId);
  await typeForm.getByLabel('Name').fill(typeName);
  await typeForm.getByLabel('Seats').fill('6');
  await typeForm.getByLabel('Base fare (UYU)').fill('130');
  await typeForm.getByLabel('Per km (UYU)').fill('70');
  await typeForm.getByLabel('Per minute (UYU)').fill('7.5');
  await typeForm.getByLabel('Minimum fare (UYU)').fill('260');
  await typeForm.getByLabel('Booking fee (UYU)').fill('20');
  await typeForm.getByRole('button', { name: 'Create type' }).click();
  await expect(typeForm).toHaveCount(0);
  await expect(admin.getByTestId(`vehicle-type-${typeId}`)).toContainText('active');

  // A driver, onboarded (documents pending) and then verified.
  await admin.getByRole('link', { name: 'Drivers' }).click();
  await admin.getByRole('button', { name: 'Onboard a driver' }).click();
  const onboard = admin.getByTestId('onboard-form');
  await onboard.getByLabel('Name').fill(driverName);
  await onboard.getByLabel('E-mail').fill(`esha-${tag}@e2e.test`);
  await onboard.getByLabel('Phone').fill('+91 98450 77777');
  await onboard.getByLabel('Licence number').fill(`KA05-2026-${tag}`);
  await onboard.getByLabel('First password').fill('a first password');
  await onboard.getByRole('button', { name: 'Onboard driver' }).click();
  await expect(onboard).toHaveCount(0);
  await admin.getByRole('searchbox', { name: 'Search' }).fill(tag);
  // The search has applied (it waits for typing to pause) once the table shows only this driver.
  const driverRows = admin.getByTestId('drivers-table').locator('tbody tr');
  await expect(driverRows).toHaveCount(1);
  await expect(driverRows).toContainText(driverName);
  const detail = admin.getByTestId('driver-detail');
  await expect(detail).toContainText(driverName);
  await expect(admin.getByTestId('drivers-table')).toContainText('pending');
  await detail.getByLabel('Documents').selectOption('verified');
  await detail.getByRole('button', { name: 'Save documents' }).click();
  await expect(admin.getByTestId('drivers-table')).toContainText('verified');
  // The licence is shown only on request (and that look is audited).
  await detail.getByRole('button', { name: 'Show licence' }).click();
  await expect(detail.getByTestId('pii-licenseNumber')).toHaveText(`KA05-2026-${tag.toUpperCase()}`);

  // A vehicle of the new type, assigned to the new driver.
  await admin.getByRole('link', { name: 'Vehicles' }).click();
  await admin.getByRole('button', { name: 'New vehicle' }).click();
  const vehicleForm = admin.getByTestId('vehicle-form');
  await vehicleForm.getByLabel('Plate').fill(plate);
  await vehicleForm.getByLabel('Type').selectOption(typeId);
  await vehicleForm.getByLabel('Make').fill('Toyota');
  await vehicleForm.getByLabel('Model').fill('Innova');
  await vehicleForm.getByLabel('Colour').fill('Silver');
  await vehicleForm.getByLabel('Capacity (seats)').fill('7');
  await vehicleForm.getByRole('button', { name: 'Add vehicle' }).click();
  await expect(vehicleForm).toHaveCount(0);
  await admin.getByRole('searchbox', { name: 'Search' }).fill(plate);
  const row = admin.getByTestId('vehicles-table').locator('tbody tr', { hasText: plate });
  await expect(row).toContainText(typeName);
  await row.getByRole('button', { name: 'Assign' }).click();
  const assign = admin.getByTestId('assign-driver');
  await assign.getByRole('searchbox', { name: 'Search' }).fill(tag);
  await assign.getByRole('button', { name: new RegExp(driverName) }).click();
  await assign.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(assign).toHaveCount(0);
  await expect(row).toContainText(driverName);

  // The rider's quote for the new type, before the fare changes.
  const rider = await (await browser.newContext()).newPage();
  await signIn(rider, 'rider@demo.test');
  const before = await quote(rider, typeId);
  expect(before.fare).toMatchObject({ base: 13_000, bookingFee: 2_000 });

  // The fare changes: UYU 150 base, UYU 25 fee.
  await admin.getByRole('link', { name: 'Pricing' }).click();
  const fareForm = admin.getByTestId(`fare-form-${typeId}`);
  await fareForm.getByLabel('Base fare (UYU)').fill('150');
  await fareForm.getByLabel('Booking fee (UYU)').fill('25');
  await fareForm.getByRole('button', { name: 'Save fare' }).click();
  await expect(fareForm.getByTestId('fare-saved')).toBeVisible();
  await expect(fareForm).toContainText('Now: UYU 150');

  // The rider's next quote uses it.
  const after = await quote(rider, typeId);
  expect(after.fare).toMatchObject({ base: 15_000, bookingFee: 2_500 });
  // Surge (from live demand) may differ between the two quotes; it never touches these two lines.
  expect(after.fare.distance).toBe(before.fare.distance);

  // Every step is in the audit log, by this admin.
  await admin.getByRole('link', { name: 'Audit log' }).click();
  const audit = admin.getByTestId('audit-table');
  await admin.getByLabel('Action').selectOption('fare_table.changed');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(audit.locator('tbody tr').first()).toContainText(typeId);
  await expect(audit.locator('tbody tr').first()).toContainText('Asha Admin');
  const me = await trpcQuery<{ id: string }>(admin, 'me');
  const entries = await trpcQuery<{ entries: { action: string; subjectId: string | null }[] }>(
    admin,
    'admin.audit',
    {
      actorId: me.id,
    },
  );
  expect(entries.entries.map((e) => e.action)).toEqual(
    expect.arrayContaining([
      'vehicle_type.changed',
      'driver.changed',
      'pii.viewed',
      'vehicle.changed',
      'fare_table.changed',
    ]),
  );
});
