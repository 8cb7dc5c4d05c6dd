import type { Page } from '@playwright/test';
import { seedSnapshot, seedSnapshots } from '@pbs/datastore/testing';
import { createDatastore, openDatastore, withoutSync } from '../fixtures/datastores.js';
import { logIn } from '../fixtures/login.js';
import { expect, test } from '../fixtures/server.js';

const STORE = 'content1';
const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z
const DAY = 86_400;
const MANY = 450; // three pages of the content view's 200-row pages

/** A backup time as PBS names snapshot directories. */
const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
const snap = (group: string, epoch: number) => `${group}/${iso(epoch)}`;
const contentUrl = `/datastore/${STORE}/content`;

function table(page: Page) {
  return page.getByRole('table', { name: 'Backup content' });
}

/** The row of a snapshot in tree mode (its link shows the backup time). */
function snapshotRow(page: Page, epoch: number) {
  return table(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: iso(epoch), exact: true }) });
}

async function snapshotAction(page: Page, group: string, epoch: number, action: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for snapshot ${snap(group, epoch)}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

async function openTaskFromNotice(page: Page, title: string | RegExp): Promise<void> {
  const notice = page.getByRole('alert').filter({ hasText: title });
  await expect(notice).toBeVisible();
  await notice.getByRole('link', { name: 'Open task' }).click();
  await expect(page).toHaveURL(/\/tasks\/UPID/);
  await expect(
    page.getByRole('table', { name: 'Task details' }).getByRole('row', { name: /Status/ }),
  ).toContainText('OK', { timeout: 60_000 });
  await expect(page.getByRole('log', { name: 'Task log' })).toContainText('TASK OK');
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ server }) => {
  test.setTimeout(180_000);
  await createDatastore(server, STORE);
  await withoutSync(server, STORE);
  const ds = await openDatastore(server, STORE);
  const authId = 'admin@pbs';
  for (let i = 0; i < 5; i++) await seedSnapshot(ds, { type: 'vm', id: '100', time: T0 + i * DAY, authId });
  for (let i = 0; i < 2; i++) await seedSnapshot(ds, { type: 'ct', id: '200', time: T0 + i * 3600, authId });
  await seedSnapshots(ds, MANY, {
    type: 'host',
    idPrefix: 'many',
    groups: 1,
    startTime: T0,
    interval: 3600,
    authId,
  });
  await ds.createNamespace('', 'dept');
  await seedSnapshot(ds, { ns: 'dept', type: 'vm', id: '300', time: T0, authId });
});

test('browse groups, snapshots, archives and namespaces', async ({ page }) => {
  await logIn(page);
  await page.getByRole('group', { name: 'Datastores' }).getByRole('link', { name: STORE }).click();
  await page.getByRole('tab', { name: 'Content' }).click();
  await expect(page).toHaveURL(new RegExp(`${contentUrl}$`));

  await expect(table(page).getByRole('link', { name: 'vm/100', exact: true })).toBeVisible();
  await expect(table(page).getByRole('link', { name: 'ct/200', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Expand group vm/100' }).click();
  for (let i = 0; i < 5; i++) await expect(snapshotRow(page, T0 + i * DAY)).toBeVisible();
  await page.getByRole('button', { name: `Show archives of ${snap('vm/100', T0 + 4 * DAY)}` }).click();
  await expect(table(page).getByText('root.pxar.didx').first()).toBeVisible();

  // Namespaces: the tree lists 'dept'; choosing it is a URL of its own.
  const tree = page.getByRole('navigation', { name: 'Namespaces' });
  await tree.getByRole('link', { name: 'Namespace dept' }).click();
  await expect(page).toHaveURL(new RegExp(`${contentUrl}\\?ns=dept$`));
  await expect(table(page).getByRole('link', { name: 'vm/300', exact: true })).toBeVisible();
  await expect(table(page).getByRole('link', { name: 'vm/100', exact: true })).toHaveCount(0);

  // Add and remove a namespace.
  await page.getByRole('button', { name: 'Add namespace' }).click();
  const add = page.getByRole('dialog', { name: 'Add namespace' });
  await add.getByRole('textbox', { name: 'Namespace name' }).fill('team');
  await add.getByRole('button', { name: 'Add namespace' }).click();
  await expect(page).toHaveURL(new RegExp(`${contentUrl}\\?ns=dept%2Fteam$`));
  await expect(tree.getByRole('link', { name: 'Namespace dept/team' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove namespace' }).click();
  const remove = page.getByRole('dialog', { name: 'Remove namespace' });
  await expect(remove).toContainText('dept/team');
  await remove.getByRole('button', { name: 'Remove namespace' }).click();
  await expect(page).toHaveURL(new RegExp(`${contentUrl}\\?ns=dept$`));
  await expect(tree.getByRole('link', { name: 'Namespace dept/team' })).toHaveCount(0);

  // Move vm/300 from dept to the root namespace: a move-group task; the view updates when it ends.
  await page.getByRole('button', { name: 'Actions for group vm/300' }).click();
  await page.getByRole('menuitem', { name: 'Move…' }).click();
  const move = page.getByRole('dialog', { name: 'Move vm/300' });
  await move.getByRole('combobox', { name: 'Target namespace' }).click();
  await page.getByRole('option', { name: 'Root namespace' }).click();
  await expect(move.getByRole('checkbox', { name: 'Merge into an existing group' })).toBeChecked();
  await move.getByRole('button', { name: 'Move group' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Moving vm/300' })).toBeVisible();
  await expect(table(page).getByRole('link', { name: 'vm/300', exact: true })).toHaveCount(0);
  await tree.getByRole('link', { name: 'Namespace Root namespace' }).click();
  await expect(table(page).getByRole('link', { name: 'vm/300', exact: true })).toBeVisible();
});

test('filter snapshots on the server, and page through a big group', async ({ page }) => {
  await logIn(page);
  await page.goto(contentUrl);
  await page.getByRole('textbox', { name: 'Filter snapshots' }).fill('ct/200');
  await expect(page).toHaveURL(/q=ct%2F200/);
  await expect(page.getByText('2 snapshots match')).toBeVisible();
  await expect(table(page).getByRole('link', { name: snap('ct/200', T0) })).toBeVisible();
  await expect(table(page).getByRole('link', { name: 'vm/100', exact: true })).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Filter snapshots' }).fill('');
  await expect(page).toHaveURL(new RegExp(`${contentUrl}$`));

  // 450 snapshots: the newest page comes first, the oldest arrives when scrolled into view.
  await page.getByRole('button', { name: 'Expand group host/many-0' }).click();
  const newest = T0 + (MANY - 1) * 3600;
  await expect(snapshotRow(page, newest)).toBeVisible();
  await expect(snapshotRow(page, T0)).toHaveCount(0);
  await table(page)
    .locator('xpath=..')
    .evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
  await expect(snapshotRow(page, T0)).toBeVisible();
});

test('deep-link to a snapshot and reload', async ({ page }) => {
  await logIn(page);
  const time = T0 + DAY;
  await page.goto(`${contentUrl}?group=vm%2F100&snapshot=${time}`);
  const drawer = page.getByRole('dialog', { name: `Snapshot ${snap('vm/100', time)}` });
  await expect(drawer.getByRole('table', { name: 'Archives' })).toContainText('root.pxar.didx');
  await expect(drawer).toContainText('admin@pbs');
  await page.reload();
  await expect(drawer.getByRole('table', { name: 'Archives' })).toContainText('root.pxar.didx');
  // Behind it, the group is open at that snapshot.
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(page).toHaveURL(new RegExp(`${contentUrl}\\?group=vm%2F100$`));
  await expect(snapshotRow(page, time)).toBeVisible();
});

test('protect, forget with confirmation, batch protect', async ({ page }) => {
  await logIn(page);
  await page.goto(`${contentUrl}?group=vm%2F100`);
  await snapshotAction(page, 'vm/100', T0 + DAY, 'Protect');
  await expect(snapshotRow(page, T0 + DAY).getByLabel('protected')).toBeVisible();

  await snapshotAction(page, 'vm/100', T0, 'Forget…');
  const forget = page.getByRole('dialog', { name: 'Forget snapshot' });
  await expect(forget).toContainText(snap('vm/100', T0));
  await forget.getByRole('button', { name: 'Forget' }).click();
  await expect(forget).toBeHidden();
  await expect(snapshotRow(page, T0)).toHaveCount(0);

  await page.getByRole('button', { name: 'Expand group ct/200' }).click();
  await page.getByRole('checkbox', { name: `Select snapshot ${snap('ct/200', T0)}` }).check();
  await page.getByRole('checkbox', { name: `Select snapshot ${snap('ct/200', T0 + 3600)}` }).check();
  await expect(page.getByRole('region', { name: 'Selected snapshots' })).toContainText(
    '2 snapshots selected',
  );
  await page.getByRole('button', { name: 'Protect selected', exact: true }).click();
  const batch = page.getByRole('dialog', { name: 'Protect 2 snapshots' });
  await expect(batch).toContainText(snap('ct/200', T0));
  await expect(batch).toContainText(snap('ct/200', T0 + 3600));
  await batch.getByRole('button', { name: 'Protect 2 snapshots' }).click();
  await expect(batch).toBeHidden();
  await expect(snapshotRow(page, T0 + 3600).getByLabel('protected')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Selected snapshots' })).toHaveCount(0);
});

test('prune a group: dry run, then prune and follow the task', async ({ page }) => {
  await logIn(page);
  await page.goto(contentUrl);
  await page.getByRole('button', { name: 'Actions for group vm/100' }).click();
  await page.getByRole('menuitem', { name: 'Prune…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Prune vm/100' });
  await dialog.getByRole('textbox', { name: 'Keep last' }).fill('1');
  // Left: days 1 (protected) to 4; keep-last 1 keeps day 4, day 1 stays protected.
  await expect(dialog.getByText('Dry run: 2 kept, 2 removed')).toBeVisible();
  const grid = dialog.getByRole('table', { name: 'Prune dry run' });
  await expect(grid.getByRole('row', { name: new RegExp(snap('vm/100', T0 + 4 * DAY)) })).toContainText(
    'keep',
  );
  await expect(grid.getByRole('row', { name: new RegExp(snap('vm/100', T0 + 3 * DAY)) })).toContainText(
    'remove',
  );
  await expect(grid.getByRole('row', { name: new RegExp(snap('vm/100', T0 + DAY)) })).toContainText(
    'protected',
  );
  await dialog.getByRole('button', { name: 'Prune' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm prune of vm/100' });
  await expect(confirm).toContainText(snap('vm/100', T0 + 2 * DAY));
  await confirm.getByRole('button', { name: 'Remove 2 snapshots' }).click();
  await openTaskFromNotice(page, 'Prune of vm/100 started');
  await expect(page.getByRole('heading', { name: /^prune / })).toBeVisible();

  await page.goto(`${contentUrl}?group=vm%2F100`);
  await expect(snapshotRow(page, T0 + 4 * DAY)).toBeVisible();
  await expect(snapshotRow(page, T0 + DAY)).toBeVisible();
  await expect(snapshotRow(page, T0 + 3 * DAY)).toHaveCount(0);
});

test('verify a snapshot and follow its task page', async ({ page }) => {
  await logIn(page);
  await page.goto(`${contentUrl}?group=vm%2F100`);
  await snapshotAction(page, 'vm/100', T0 + 4 * DAY, 'Verify');
  await openTaskFromNotice(page, 'Verification started');
  await expect(page.getByRole('heading', { name: /^verify_snapshot / })).toBeVisible();
  await page.goBack();
  await page.getByRole('button', { name: 'Reload' }).click();
  await expect(snapshotRow(page, T0 + 4 * DAY).getByRole('link', { name: 'Verify task: ok' })).toBeVisible();
});
