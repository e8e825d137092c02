import { expect, test } from '@playwright/test';
import { signIn } from './support';

test('anonymous visitors are sent to sign in, then back where they were going', async ({ page }) => {
  await page.goto('/dispatch');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdispatch/);
  await page.getByLabel('E-mail').fill('dispatcher@demo.test');
  await page.getByLabel('Password').fill('demo1234');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dispatch$/);
});

test('a wrong password gets one generic message', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill('rider@demo.test');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('E-mail or password is incorrect');
});

test('a rider cannot open the dispatcher or admin pages', async ({ page }) => {
  await signIn(page, 'rider@demo.test');
  await expect(page).toHaveURL(/\/rider$/);
  for (const path of ['/dispatch', '/admin', '/driver']) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByTestId('forbidden')).toBeVisible();
    await expect(page.getByTestId('live-map')).toHaveCount(0);
  }
});

test('signing out ends the session on the server', async ({ page }) => {
  await signIn(page, 'admin@demo.test');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('admin-fleet')).toContainText('KA-01-');
  const cookies = await page.context().cookies();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  // Replaying the old cookie must not work: the auth session row is revoked.
  await page.context().addCookies(cookies);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/signin/);
});
