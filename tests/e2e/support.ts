import { expect, type Page } from '@playwright/test';
import { demoPassword } from '@/db/demo-data';

export async function signIn(page: Page, email: string, password = demoPassword): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
}

/** True when the map actually renders a driver point for `driverId` at (lng, lat). */
export function mapRendersDriverAt(page: Page, driverId: string, lng: number, lat: number) {
  return page.waitForFunction(
    ([id, x, y]) => {
      const map = window.__odMap;
      if (!map?.getLayer('drivers')) return false;
      const p = map.project([x as number, y as number]);
      const box: [[number, number], [number, number]] = [
        [p.x - 4, p.y - 4],
        [p.x + 4, p.y + 4],
      ];
      return map.queryRenderedFeatures(box, { layers: ['drivers'] }).some((f) => f.properties?.id === id);
    },
    [driverId, lng, lat] as const,
    { timeout: 20_000 },
  );
}

export function mapRendersDriver(page: Page, driverId: string) {
  return page.evaluate(
    (id) =>
      (window.__odMap?.queryRenderedFeatures({ layers: ['drivers'] }) ?? []).some(
        (f) => f.properties?.id === id,
      ),
    driverId,
  );
}
