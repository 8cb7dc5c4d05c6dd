import type { Page } from '@playwright/test';
import { logIn } from '../fixtures/login.js';
import { expect, test } from '../fixtures/server.js';

const USER = 'alice';
const USER_ID = 'alice@pbs';
const USER_PASSWORD = 'alice-password-1';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

async function choose(page: Page, dialogName: string, label: string, option: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function grant(page: Page, path: string, role: string): Promise<void> {
  await page.getByRole('button', { name: 'Add permission' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add permission' });
  await dialog.getByRole('textbox', { name: 'Path' }).fill(path);
  await choose(page, 'Add permission', 'User or token', USER_ID);
  await choose(page, 'Add permission', 'Role', role);
  await dialog.getByRole('button', { name: 'Add permission' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page
      .getByRole('table', { name: 'Permissions' })
      .getByRole('row', { name: new RegExp(`^${escapeRegExp(path)} ${USER_ID} ${role} `) }),
  ).toBeVisible();
}

test('create a user, give it a token and a role, and see its reduced view', async ({ page, browser }) => {
  await logIn(page);
  await page.getByRole('link', { name: 'Access Control' }).click();
  await expect(page).toHaveURL(/\/access\/users$/);

  // Add a user; the form checks the repeated password before anything is sent.
  await page.getByRole('button', { name: 'Add user' }).click();
  const addUser = page.getByRole('dialog', { name: 'Add user' });
  await addUser.getByRole('textbox', { name: 'User name' }).fill(USER);
  await addUser.getByRole('textbox', { name: 'Password', exact: true }).fill(USER_PASSWORD);
  await addUser.getByRole('textbox', { name: 'Confirm password' }).fill('something-else');
  await addUser.getByRole('textbox', { name: 'First name' }).fill('Alice');
  await addUser.getByRole('button', { name: 'Add user' }).click();
  await expect(addUser.getByText('the passwords do not match')).toBeVisible();
  await addUser.getByRole('textbox', { name: 'Confirm password' }).fill(USER_PASSWORD);
  await addUser.getByRole('button', { name: 'Add user' }).click();
  await expect(addUser).toBeHidden();
  const users = page.getByRole('table', { name: 'Users' });
  await expect(users.getByRole('row', { name: /alice.*pbs.*Alice/ })).toBeVisible();

  // An API token for the user: the secret is shown once, with a copy button.
  await page.getByRole('tab', { name: 'API Tokens' }).click();
  await expect(page).toHaveURL(/\/access\/tokens$/);
  await page.getByRole('button', { name: 'Add token' }).click();
  await choose(page, 'Add API token', 'User', USER_ID);
  const addToken = page.getByRole('dialog', { name: 'Add API token' });
  await addToken.getByRole('textbox', { name: 'Token name' }).fill('ci');
  await addToken.getByRole('button', { name: 'Add token' }).click();
  const secret = page.getByRole('dialog', { name: 'Token secret' });
  await expect(secret).toContainText('cannot be shown again');
  await expect(secret.getByText(`${USER_ID}!ci`)).toBeVisible();
  await expect(secret.getByRole('button', { name: 'Copy secret' })).toBeVisible();
  await expect(secret.getByLabel('Token secret')).toHaveText(/\S{16,}/);
  await secret.getByRole('button', { name: 'Done' }).click();
  await expect(secret).toBeHidden();
  const tokens = page.getByRole('table', { name: 'API tokens' });
  await expect(tokens.getByRole('row', { name: /alice@pbs\s*ci/ })).toBeVisible();

  // A datastore-only role: the user's UI shrinks to what it allows.
  await page.getByRole('tab', { name: 'Permissions' }).click();
  await expect(page).toHaveURL(/\/access\/permissions$/);
  await grant(page, '/datastore/store1', 'DatastoreAudit');

  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await logIn(userPage, USER, USER_PASSWORD);
  await expect(userPage).toHaveURL(/\/dashboard$/);
  await expect(userPage.getByRole('button', { name: 'User menu' })).toContainText(USER_ID);
  await expect(userPage.getByRole('region', { name: 'Running tasks' })).toBeVisible();
  await expect(userPage.getByRole('region', { name: 'Task summary' })).toBeVisible();
  await expect(userPage.getByRole('region', { name: 'Server status' })).toHaveCount(0);
  await expect(userPage.getByRole('link', { name: 'Access Control' })).toHaveCount(0);
  await expect(userPage.getByRole('link', { name: 'Tasks', exact: true })).toBeVisible();
  await expect(userPage.getByRole('alert')).toHaveCount(0);

  // Audit on '/' adds Sys.Audit: server health and the access views appear.
  await grant(page, '/', 'Audit');
  await userPage.reload();
  await expect(userPage.getByRole('region', { name: 'Server status' })).toBeVisible();
  await expect(userPage.getByRole('link', { name: 'Access Control' })).toBeVisible();
  await expect(userPage.getByRole('alert')).toHaveCount(0);
  await userContext.close();

  // Remove the token.
  await page.getByRole('tab', { name: 'API Tokens' }).click();
  await page.getByRole('button', { name: `Remove token ${USER_ID}!ci` }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove API token' });
  await expect(confirm).toContainText(`${USER_ID}!ci`);
  await confirm.getByRole('button', { name: 'Remove token' }).click();
  await expect(confirm).toBeHidden();
  await expect(tokens.getByRole('row', { name: /alice@pbs\s*ci/ })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('table', { name: 'API tokens' })).toContainText(/No API tokens yet/);
});
