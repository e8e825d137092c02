import { expect, type Locator, type Page, test } from '@playwright/test';
import { fareTableRows } from '@/db/demo-data';
import { signIn, trpcQuery } from './support';

/**
 * Bad input in every admin form: the server's refusal is shown beside each field it names, and
 * nothing is saved (checked through the admin API afterwards). Demo data is read, never changed.
 */
function fieldError(scope: Locator | Page, field: string) {
  return scope.locator(`.field-error[data-field="${field}"]`);
}

/** The part of the service-area map (MapLibre) the test uses to turn a place into a click. */
interface AreaMap {
  getCenter(): { lng: number; lat: number };
  project(at: [number, number]): { x: number; y: number };
}

interface VehicleType {
  id: string;
  name: string;
  seats: number;
  active: boolean;
  fare: { baseFare: number; minimumFare: number } | null;
}

test.describe.configure({ mode: 'serial' });

let admin: Page;
test.beforeAll(async ({ browser }) => {
  admin = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await signIn(admin, 'admin@demo.test');
});

test('vehicle type forms', async () => {
  await admin.goto('/admin/vehicle-types');
  await admin.getByRole('button', { name: 'New vehicle type' }).click();
  const form = admin.getByTestId('vehicle-type-form');
  await form.getByLabel('Id').fill('Bad Id');
  await form.getByLabel('Name').fill('Bad type');
  await form.getByLabel('Seats').fill('0');
  for (const [label, value] of [
    ['Base fare (UYU)', '65'],
    ['Per km (UYU)', '-1'],
    ['Per minute (UYU)', '4'],
    ['Minimum fare (UYU)', '130'],
    ['Booking fee (UYU)', 'fifteen'],
  ] as const) {
    await form.getByLabel(label).fill(value);
  }
  await form.getByRole('button', { name: 'Create type' }).click();
  await expect(fieldError(form, 'id')).toContainText('lower-case');
  await expect(fieldError(form, 'seats')).toHaveText('must be at least 1');
  await expect(fieldError(form, 'fare.perKm')).toHaveText('must not be negative');
  await expect(fieldError(form, 'fare.bookingFee')).toBeVisible();
  await expect(form.getByLabel('Seats')).toHaveAttribute('aria-invalid', 'true');

  // Fixing the shape, the name is taken: a conflict on that one field.
  await form.getByLabel('Id').fill('bad-type');
  await form.getByLabel('Name').fill('economy');
  await form.getByLabel('Seats').fill('4');
  await form.getByLabel('Per km (UYU)').fill('40');
  await form.getByLabel('Booking fee (UYU)').fill('15');
  await form.getByRole('button', { name: 'Create type' }).click();
  await expect(fieldError(form, 'name')).toContainText('already has this name');
  await expect(fieldError(form, 'seats')).toHaveCount(0);

  // An existing type: name and seats are separate changes, each refused by its own field.
  const economy = admin.getByTestId('vehicle-type-economy');
  await economy.getByLabel('Seats').fill('many');
  await economy.getByRole('button', { name: 'Save seats' }).click();
  await expect(fieldError(economy, 'seats')).toHaveText('must be a whole number');
  await economy.getByLabel('Name').fill('comfort');
  await economy.getByRole('button', { name: 'Rename' }).click();
  await expect(fieldError(economy, 'name')).toContainText('already has this name');

  const types = await trpcQuery<VehicleType[]>(admin, 'admin.vehicleTypes.list');
  expect(types.map((t) => t.id)).not.toContain('bad-type');
  expect(types.find((t) => t.id === 'economy')).toMatchObject({ name: 'Economy', seats: 4 });
});

test('vehicle forms', async () => {
  await admin.goto('/admin');
  await admin.getByRole('button', { name: 'New vehicle' }).click();
  const form = admin.getByTestId('vehicle-form');
  // A new vehicle starts with the first active type, whatever its id.
  const types = await trpcQuery<VehicleType[]>(admin, 'admin.vehicleTypes.list');
  await expect(form.getByLabel('Type')).toHaveValue(types.find((t) => t.active)!.id);
  await form.getByLabel('Plate').fill('!!');
  await form.getByLabel('Make').fill('Tata');
  await form.getByLabel('Model').fill('');
  await form.getByLabel('Colour').fill('Blue');
  await form.getByLabel('Capacity (seats)').fill('0');
  await form.getByRole('button', { name: 'Add vehicle' }).click();
  await expect(fieldError(form, 'plate')).toContainText('3–16 letters');
  await expect(fieldError(form, 'model')).toHaveText('is required');
  await expect(fieldError(form, 'capacity')).toHaveText('must be at least 1');
  // A demo plate, typed differently, is a duplicate.
  await form.getByLabel('Plate').fill('ka-01-aa-1000');
  await form.getByLabel('Model').fill('Nexon');
  await form.getByLabel('Capacity (seats)').fill('4');
  await form.getByRole('button', { name: 'Add vehicle' }).click();
  await expect(fieldError(form, 'plate')).toContainText('already registered');
  await form.getByRole('button', { name: 'Cancel' }).click();

  // Editing a demo vehicle with a bad capacity changes nothing.
  await admin.getByRole('searchbox', { name: 'Search' }).fill('KA-01-AA-1000');
  const row = admin.getByTestId('vehicles-table').locator('tbody tr', { hasText: 'KA-01-AA-1000' });
  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = admin.getByTestId('vehicle-form');
  await edit.getByLabel('Capacity (seats)').fill('99');
  await edit.getByRole('button', { name: 'Save vehicle' }).click();
  await expect(fieldError(edit, 'capacity')).toHaveText('must be at most 20');

  const fleet = await trpcQuery<{ rows: { plate: string; capacity: number }[]; total: number }>(
    admin,
    'admin.vehicles.list',
    { search: 'KA-01-AA-1000' },
  );
  expect(fleet.rows).toEqual([expect.objectContaining({ plate: 'KA-01-AA-1000', capacity: 4 })]);
  const nexons = await trpcQuery<{ total: number }>(admin, 'admin.vehicles.list', { search: 'Nexon' });
  expect(nexons.total).toBe(0);
});

test('driver forms', async () => {
  await admin.goto('/admin/drivers');
  await admin.getByRole('button', { name: 'Onboard a driver' }).click();
  const form = admin.getByTestId('onboard-form');
  await form.getByLabel('Name').fill('Not Saved');
  await form.getByLabel('E-mail').fill('not-an-email');
  await form.getByLabel('Phone').fill('12');
  await form.getByLabel('Licence number').fill('KA05 2026 000');
  await form.getByLabel('First password').fill('short');
  await form.getByRole('button', { name: 'Onboard driver' }).click();
  await expect(fieldError(form, 'email')).toHaveText('is not an e-mail address');
  await expect(fieldError(form, 'phone')).toBeVisible();
  await expect(fieldError(form, 'password')).toHaveText('must be at least 8 characters');
  // A taken e-mail is named too.
  await form.getByLabel('E-mail').fill('Driver@Demo.test');
  await form.getByLabel('Phone').fill('+91 98450 00000');
  await form.getByLabel('First password').fill('long enough now');
  await form.getByRole('button', { name: 'Onboard driver' }).click();
  await expect(fieldError(form, 'email')).toContainText('already exists');
  await form.getByRole('button', { name: 'Cancel' }).click();

  // Rejecting documents without saying why.
  await admin.getByRole('searchbox', { name: 'Search' }).fill('sim-driver-005');
  const rows = admin.getByTestId('drivers-table').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('sim-driver-005@demo.test');
  await rows.getByRole('button').click();
  const detail = admin.getByTestId('driver-detail');
  await detail.getByLabel('Documents').selectOption('rejected');
  await detail.getByRole('button', { name: 'Save documents' }).click();
  await expect(fieldError(detail, 'note')).toHaveText('say why the documents were rejected');

  const none = await trpcQuery<{ total: number }>(admin, 'admin.users.list', { search: 'Not Saved' });
  expect(none.total).toBe(0);
  const sims = await trpcQuery<{ rows: { documentStatus: string }[] }>(admin, 'admin.drivers.list', {
    search: 'sim-driver-005',
  });
  expect(sims.rows.map((r) => r.documentStatus)).toEqual(['verified']);
});

test('pricing forms', async () => {
  await admin.goto('/admin/pricing');
  const economy = admin.getByTestId('fare-form-economy');
  await economy.getByLabel('Base fare (UYU)').fill('abc');
  await economy.getByLabel('Per km (UYU)').fill('20000');
  // Finer than a centésimo: refused beside the field, never rounded.
  await economy.getByLabel('Booking fee (UYU)').fill('15.125');
  await economy.getByRole('button', { name: 'Save fare' }).click();
  await expect(fieldError(economy, 'fare.baseFare')).toBeVisible();
  await expect(fieldError(economy, 'fare.perKm')).toHaveText('must be at most UYU 1,000');
  await expect(fieldError(economy, 'fare.bookingFee')).toHaveText(
    'must be whole centésimos: at most two decimal places',
  );
  // Above the seeded minimum (UYU 130).
  await economy.getByLabel('Base fare (UYU)').fill('200');
  await economy.getByLabel('Per km (UYU)').fill('40');
  await economy.getByLabel('Booking fee (UYU)').fill('15.12');
  await economy.getByRole('button', { name: 'Save fare' }).click();
  await expect(fieldError(economy, 'fare.minimumFare')).toHaveText('must be at least the base fare');
  await expect(fieldError(economy, 'fare.bookingFee')).toHaveCount(0);

  const surge = admin.getByTestId('surge-form');
  await surge.getByLabel('Cap (highest multiplier)').fill('9');
  await surge.getByLabel('Weight of neighbouring cells').fill('');
  await surge.getByRole('button', { name: 'Save surge policy' }).click();
  await expect(fieldError(surge, 'cap')).toHaveText('must be at most 5');
  await expect(fieldError(surge, 'neighbourWeight')).toBeVisible();

  const types = await trpcQuery<VehicleType[]>(admin, 'admin.vehicleTypes.list');
  const seeded = fareTableRows.find((f) => f.vehicleTypeId === 'economy')!;
  expect(types.find((t) => t.id === 'economy')!.fare).toMatchObject({
    baseFare: seeded.baseFare,
    minimumFare: seeded.minimumFare,
  });
  const settings = await trpcQuery<{ surge: { cap: number } }>(admin, 'admin.settings.get');
  expect(settings.surge.cap).toBeLessThanOrEqual(5);
});

test('account forms', async () => {
  await admin.goto('/admin/users');
  await admin.getByRole('searchbox', { name: 'Search' }).fill('admin@demo.test');
  await admin.getByTestId('users-table').getByRole('button', { name: 'Asha Admin' }).click();
  const detail = admin.getByTestId('user-detail');
  // An admin cannot change their own role.
  await detail.getByLabel('Role').selectOption('rider');
  await detail.getByRole('button', { name: 'Change role' }).click();
  await detail.getByRole('button', { name: 'Yes, change role' }).click();
  await expect(fieldError(detail, 'role')).toContainText('your own role');

  await admin.getByRole('searchbox', { name: 'Search' }).fill('rider2@demo.test');
  await admin.getByTestId('users-table').getByRole('button', { name: 'Rahul Rider' }).click();
  const rider = admin.getByTestId('user-detail');
  await rider.getByLabel('New password').fill('short');
  await rider.getByRole('button', { name: 'Reset password' }).click();
  await rider.getByRole('button', { name: 'Yes, reset password' }).click();
  await expect(fieldError(rider, 'password')).toHaveText('must be at least 8 characters');
  await rider.getByRole('button', { name: 'Suspend' }).click();
  await rider.getByLabel('Reason').fill('x'.repeat(501));
  await rider.getByRole('button', { name: 'Yes, suspend' }).click();
  await expect(fieldError(rider, 'reason')).toHaveText('must be at most 500 characters');

  const users = await trpcQuery<{ rows: { email: string; role: string; status: string }[] }>(
    admin,
    'admin.users.list',
    {
      search: '@demo.test',
      role: 'admin',
    },
  );
  expect(users.rows.map((u) => u.email)).toContain('admin@demo.test');
  const riders = await trpcQuery<{ rows: { status: string }[] }>(admin, 'admin.riders.list', {
    search: 'rider2@',
  });
  expect(riders.rows.map((r) => r.status)).toEqual(['active']);
  // And rider2's password is still the demo one: they can sign in.
  const page = await (await admin.context().browser()!.newContext()).newPage();
  await signIn(page, 'rider2@demo.test');
});

test('service area and audit filters', async () => {
  await admin.goto('/admin/service-area');
  await expect(admin.locator('[data-testid="area-map"][data-ready="true"]')).toBeVisible();
  const before = (await trpcQuery<{ serviceAreaCells: string[] }>(admin, 'admin.settings.get'))
    .serviceAreaCells;

  // Drawing: a click on a hexagon of the area takes it out, a click outside the area adds one.
  // Nothing is saved until "Save area": Revert leaves the area as it was.
  const map = admin.getByTestId('area-map');
  const count = admin.getByTestId('area-count');
  // The demo area is every cell within ~20 km of the centre; 0.28° of longitude there is ~30 km.
  const [inside, outside] = await admin.evaluate(() => {
    const m = (window as unknown as { __odAreaMap: AreaMap }).__odAreaMap;
    const { lng, lat } = m.getCenter();
    return [m.project([lng, lat]), m.project([lng + 0.28, lat])];
  });
  await map.click({ position: { x: inside!.x, y: inside!.y } });
  await expect(count).toContainText('unsaved: +0 −1');
  await expect(map).toHaveAttribute('data-cells', String(before.length - 1));
  await map.click({ position: { x: outside!.x, y: outside!.y } });
  await expect(count).toContainText('unsaved: +1 −1');
  await admin.getByRole('button', { name: 'Revert' }).click();
  await expect(count).toContainText('saved');
  await expect(count).not.toContainText('unsaved');
  await expect(map).toHaveAttribute('data-cells', String(before.length));

  await admin
    .getByLabel('H3 res-7 cells, one per line or separated by commas')
    .fill(`${before[0]}\nnonsense`);
  await admin.getByRole('button', { name: 'Use this list' }).click();
  await admin.getByRole('button', { name: 'Save area' }).click();
  await admin.getByRole('button', { name: 'Yes, save area' }).click();
  await expect(fieldError(admin, 'cells')).toContainText('Cell 2 (nonsense): is not an H3 cell');
  const after = (await trpcQuery<{ serviceAreaCells: string[] }>(admin, 'admin.settings.get'))
    .serviceAreaCells;
  expect(after).toEqual(before);

  await admin.goto('/admin/audit');
  await admin.getByLabel('Actor id').fill('not-a-uuid');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(fieldError(admin, 'actorId')).toHaveText('is not a user id');
});
