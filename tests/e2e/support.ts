import { type Browser, type BrowserContext, expect, type Page } from '@playwright/test';
import { demoPassword } from '@/db/demo-data';
import { haversineMeters, type LatLng } from '@/domain/geo';

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

/** The properties (state, stale, selected) of the point the dispatcher map draws for `driverId`, or null. */
export function renderedDriver(page: Page, driverId: string) {
  return page.evaluate(
    (id) =>
      (window.__odMap?.queryRenderedFeatures({ layers: ['drivers'] }) ?? []).find(
        (f) => f.properties?.id === id,
      )?.properties ?? null,
    driverId,
  );
}

export async function mapRendersDriver(page: Page, driverId: string) {
  return (await renderedDriver(page, driverId)) !== null;
}

/** A point rounded to 6 decimals (~0.1 m), so what a page prints with toFixed(6) is exactly it. */
export function at6(p: { lat: number; lng: number }): { lat: number; lng: number } {
  return { lat: Number(p.lat.toFixed(6)), lng: Number(p.lng.toFixed(6)) };
}

/**
 * True when the rider's trip map shows the marker `testId` at (lat, lng): the marker says it is
 * there and it is drawn where the map projects that point (so it is really on the map, not just
 * in the DOM).
 */
export function tripMarkerAt(page: Page, testId: string, at: { lat: number; lng: number }) {
  return page.waitForFunction(
    ([id, lat, lng]) => {
      const map = window.__odTripMap;
      const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      if (!map || !el) return false;
      if (el.dataset.lat !== (lat as number).toFixed(6) || el.dataset.lng !== (lng as number).toFixed(6))
        return false;
      const p = map.project([lng as number, lat as number]);
      const frame = map.getContainer().getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return (
        Math.abs(box.left + box.width / 2 - (frame.left + p.x)) < 3 &&
        Math.abs(box.top + box.height / 2 - (frame.top + p.y)) < 3
      );
    },
    [testId, at.lat, at.lng] as const,
    { timeout: 30_000 },
  );
}

/** Waits until the trip map on `page` draws a road route of `points` points (not the straight guess). */
export function roadRouteDrawn(page: Page, points: number) {
  return page.waitForFunction(
    (n) => {
      const source = window.__odTripMap?.getStyle()?.sources['road-route'] as
        | { data?: { features?: { geometry: { coordinates: unknown[] } }[] } }
        | undefined;
      return source?.data?.features?.[0]?.geometry.coordinates.length === n;
    },
    points,
    { timeout: 10_000 },
  );
}

/** Clicks the rider's trip map where (lat, lng) is drawn. */
export async function clickTripMapAt(page: Page, at: { lat: number; lng: number }): Promise<void> {
  await page.locator('[data-testid="trip-map"][data-ready="true"]').waitFor();
  const point = await page.evaluate(
    ([lat, lng]) => {
      const map = window.__odTripMap!;
      const p = map.project([lng, lat]);
      const frame = map.getContainer().getBoundingClientRect();
      return { x: frame.left + p.x, y: frame.top + p.y };
    },
    [at.lat, at.lng] as const,
  );
  await page.mouse.click(point.x, point.y);
}

/** A tRPC query as the page's signed-in user (same cookies), for checks the UI does not show. */
export async function trpcQuery<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await page.request.get(`/api/trpc/${path}${query}`);
  expect(response.ok(), `${path}: HTTP ${response.status()}`).toBe(true);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

/** Signs a driver in (their position comes from the browser context), goes online and waits until the server holds their first position. */
export async function goOnline(page: Page, email: string): Promise<void> {
  await signIn(page, email);
  await expect(page).toHaveURL(/\/driver$/);
  await page.getByRole('button', { name: 'Go online' }).click();
  await expect(page.getByTestId('driver-state')).toHaveText('available');
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
  await expect(page.getByTestId('position-stats')).toContainText(/sent up to #\d+/);
}

/**
 * A driver's phone position, moved like a car. The server drops a position that implies more than
 * 70 m/s since the previous one, and a browser stamps an emulated position with the moment it was
 * set; so each move first lets the time pass that driving there takes at `speedMps`. This waiting
 * is the simulated drive itself, not synchronisation (tests wait for what pages show).
 */
export class EmulatedDrive {
  private setAt = Date.now();

  private constructor(
    readonly context: BrowserContext,
    private position: LatLng,
    private readonly speedMps: number,
  ) {}

  /** A context whose phone starts at `start` with a 5 m fix and location permission. */
  static async start(
    browser: Browser,
    start: LatLng,
    options: { viewport?: { width: number; height: number }; speedMps?: number } = {},
  ): Promise<EmulatedDrive> {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 420, height: 900 },
      geolocation: { latitude: start.lat, longitude: start.lng, accuracy: 5 },
      permissions: ['geolocation'],
    });
    return new EmulatedDrive(context, start, options.speedMps ?? 25);
  }

  /** A page (re)load may report the current position with a fresh timestamp: count from now. */
  restamp(): void {
    this.setAt = Date.now();
  }

  async to(next: LatLng): Promise<void> {
    const driveMs = (haversineMeters(this.position, next) / this.speedMps) * 1000;
    const waitMs = this.setAt + driveMs - Date.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    await this.context.setGeolocation({ latitude: next.lat, longitude: next.lng, accuracy: 5 });
    this.setAt = Date.now();
    this.position = next;
  }
}
