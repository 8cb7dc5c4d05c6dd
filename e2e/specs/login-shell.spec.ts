import { logIn } from '../fixtures/login.js';
import { ADMIN_PASSWORD, expect, test } from '../fixtures/server.js';

test('log in, see the header, switch to dark mode, log out', async ({ page, server }) => {
  // A deep link without a session lands on the login page and comes back after logging in.
  await page.goto('/tasks?running=1');
  await expect(page).toHaveURL(/\/login\?next=/);

  await page.getByRole('textbox', { name: 'User name' }).fill('admin');
  await expect(page.getByRole('combobox', { name: 'Realm' })).toHaveValue(/pbs/);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText(/authentication failed/i);
  await expect(page).toHaveURL(/\/login/);

  await logIn(page, 'admin', ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/tasks\?running=1$/);
  await expect(page.getByRole('switch', { name: 'Running only' })).toBeChecked();

  // Header: product, version and the BETA link to the bug tracker, in a new tab.
  const { info } = server.services;
  const header = page.getByRole('banner');
  await expect(header.getByText(info.product)).toBeVisible();
  await expect(header.getByText(info.version, { exact: true })).toBeVisible();
  const beta = header.getByRole('link', { name: /BETA/ });
  await expect(beta).toHaveAttribute('href', info.bugTrackerUrl ?? '');
  await expect(beta).toHaveAttribute('target', '_blank');
  await expect(beta).toHaveAttribute('rel', /noopener/);
  await expect(header.getByRole('link', { name: /^Running tasks: \d+$/ })).toBeVisible();

  // Navigation: the dashboard and the tasks view each have their own URL.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('region', { name: 'Server status' })).toBeVisible();

  // Dark mode, kept across a reload.
  await page.getByRole('button', { name: 'User menu' }).click();
  await page.getByRole('menuitem', { name: /^Theme: Dark/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(page.getByRole('button', { name: 'User menu' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');

  // Unknown paths show a not-found page with a way home.
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go to the dashboard' })).toBeVisible();

  // A session the server stops accepting sends the user to the login page, keeping the deep link.
  await page.goto('/tasks?type=verify');
  await expect(page.getByRole('textbox', { name: 'Type' })).toHaveValue('verify');
  await page.context().clearCookies();
  await expect(page).toHaveURL(/\/login\?next=%2Ftasks%3Ftype%3Dverify$/, { timeout: 15_000 });
  await logIn(page);
  await expect(page).toHaveURL(/\/tasks\?type=verify$/);

  // Log out: the session is gone, a protected page asks to log in again.
  await page.getByRole('button', { name: 'User menu' }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
});
