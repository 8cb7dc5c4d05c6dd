import type { Page } from '@playwright/test';
import { logIn } from '../fixtures/login.js';
import { expect, test } from '../fixtures/server.js';

const STORE = 'store1';

/** The task page of a started task: progress, log, and its final status. */
async function expectTaskOk(page: Page, heading: string | RegExp): Promise<void> {
  await expect(page).toHaveURL(/\/tasks\/UPID/);
  await expect(page.getByRole('heading', { name: heading })).toBeVisible();
  const details = page.getByRole('table', { name: 'Task details' });
  await expect(details.getByRole('row', { name: /Status/ })).toContainText('OK', { timeout: 60_000 });
  await expect(page.getByRole('log', { name: 'Task log' })).toContainText('TASK OK');
}

/** Clicks "Open task" in the notification a started task shows. */
async function openTaskFromNotice(page: Page, title: string | RegExp): Promise<void> {
  const notice = page.getByRole('alert').filter({ hasText: title });
  await expect(notice).toBeVisible();
  await notice.getByRole('link', { name: 'Open task' }).click();
}

test.describe.configure({ mode: 'serial' });

test('add a datastore through the dialog and follow its creation task', async ({ page, server }) => {
  await logIn(page);
  await page.getByRole('link', { name: 'Add Datastore' }).click();
  await expect(page).toHaveURL(/\/datastore\/add$/);
  const dialog = page.getByRole('dialog', { name: 'Add Datastore' });
  await expect(dialog.getByRole('textbox', { name: 'Path' })).toHaveAttribute(
    'placeholder',
    /datastores\/<name>$/,
  );

  // The form checks the name against the schema the server uses, at the field.
  await dialog.getByRole('textbox', { name: 'Name' }).fill('x');
  await dialog.getByRole('button', { name: 'Create datastore' }).click();
  await expect(dialog.getByText(/datastore name/i)).toBeVisible();
  // A calendar event the server cannot parse comes back as a message at its field.
  await dialog.getByRole('textbox', { name: 'Name' }).fill(STORE);
  await dialog.getByRole('combobox', { name: 'GC schedule' }).fill('not a schedule');
  await dialog.getByRole('button', { name: 'Create datastore' }).click();
  await expect(dialog.getByRole('combobox', { name: 'GC schedule' })).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('combobox', { name: 'GC schedule' }).fill('daily');
  await dialog.getByRole('textbox', { name: 'Comment' }).fill('e2e store');
  await dialog.getByRole('button', { name: 'Create datastore' }).click();

  // Creation is a task: its page shows progress and the log.
  await expectTaskOk(page, `create-datastore ${STORE}`);
  await expect(page.getByRole('log', { name: 'Task log' })).toContainText(`datastore '${STORE}' is ready`);

  // The navigation lists the new store; its summary shows usage and connection information.
  const nav = page.getByRole('group', { name: 'Datastores' });
  await nav.getByRole('link', { name: STORE }).click();
  await expect(page).toHaveURL(new RegExp(`/datastore/${STORE}/summary$`));
  await expect(page.getByRole('heading', { name: `Datastore ${STORE}` })).toBeVisible();
  await expect(page.getByRole('img', { name: /Datastore usage \d/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Backup counts' })).toContainText('Virtual machines');
  const connection = page.getByRole('region', { name: 'Connection information' });
  await expect(connection.getByLabel('Repository', { exact: true })).toHaveText(
    `admin@pbs@127.0.0.1:${server.port}:${STORE}`,
  );
  await expect(connection.getByRole('button', { name: 'Copy repository' })).toBeVisible();
  await expect(connection.getByLabel('Fingerprint', { exact: true })).toHaveText(
    server.services.certificate.fingerprint,
  );

  // The same name again: the server's ALREADY_EXISTS lands at the name field.
  await page.goto('/datastore/add');
  const again = page.getByRole('dialog', { name: 'Add Datastore' });
  await again.getByRole('textbox', { name: 'Name' }).fill(STORE);
  await again.getByRole('button', { name: 'Create datastore' }).click();
  await expect(again.getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true');
  await again.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/datastore$/);
  await expect(page.getByRole('region', { name: `Datastore ${STORE}` })).toContainText('e2e store');

  // The dashboard shows the store's usage, linking to its summary.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  const usage = page.getByRole('region', { name: 'Datastore usage' });
  await expect(usage.getByLabel(`Usage of ${STORE}`)).toBeVisible();
  await usage.getByRole('link', { name: STORE }).click();
  await expect(page).toHaveURL(new RegExp(`/datastore/${STORE}/summary$`));
});

test('run garbage collection and follow its task page', async ({ page }) => {
  await logIn(page);
  await page.goto(`/datastore/${STORE}/prune-gc`);
  const gc = page.getByRole('region', { name: 'Garbage collection' });
  await expect(gc).toContainText('daily');
  await gc.getByRole('button', { name: 'Start garbage collection' }).click();
  await openTaskFromNotice(page, `Garbage collection of ${STORE} started`);
  await expectTaskOk(page, `garbage_collection ${STORE}`);

  // Back on the tab, the last run links to that task.
  await page.goBack();
  await expect(gc.getByRole('link', { name: 'Last task of garbage collection' })).toBeVisible();
});

test('add a prune job and a verify job, run them now', async ({ page }) => {
  await logIn(page);
  await page.goto(`/datastore/${STORE}/prune-gc`);
  await page.getByRole('button', { name: 'Add prune job' }).click();
  const add = page.getByRole('dialog', { name: 'Add prune job' });
  await add.getByRole('textbox', { name: 'Job ID' }).fill('nightly');
  await add.getByRole('textbox', { name: 'Keep last' }).fill('3');
  await add.getByRole('button', { name: 'Add prune job' }).click();
  await expect(add).toBeHidden();
  const jobs = page.getByRole('table', { name: 'Prune jobs' });
  await expect(jobs.getByRole('row', { name: /nightly/ })).toContainText('last 3');
  await jobs.getByRole('button', { name: 'Run prune job nightly now' }).click();
  await openTaskFromNotice(page, 'Prune job nightly started');
  await expectTaskOk(page, /^prunejob /);

  await page.goto(`/datastore/${STORE}/verify`);
  await page.getByRole('button', { name: 'Add verify job' }).click();
  const addVerify = page.getByRole('dialog', { name: 'Add verify job' });
  await addVerify.getByRole('textbox', { name: 'Job ID' }).fill('weekly-verify');
  await addVerify.getByRole('button', { name: 'Add verify job' }).click();
  await expect(addVerify).toBeHidden();
  const verifyJobs = page.getByRole('table', { name: 'Verify jobs' });
  await verifyJobs.getByRole('button', { name: 'Run verify job weekly-verify now' }).click();
  await openTaskFromNotice(page, 'Verify job weekly-verify started');
  await expectTaskOk(page, /^verificationjob /);

  // The datastore root lists every store's jobs.
  await page.goto('/datastore/prune-gc');
  await expect(
    page.getByRole('table', { name: 'Prune jobs' }).getByRole('row', { name: /nightly/ }),
  ).toContainText(STORE);
  await expect(page.getByRole('table', { name: 'Garbage collection jobs' })).toContainText(STORE);
});

test('maintenance mode, then remove the datastore with the safe-destroy dialog', async ({ page }) => {
  await logIn(page);
  await page.goto(`/datastore/${STORE}/options`);
  const maintenance = page.getByRole('region', { name: 'Maintenance mode' });
  await maintenance.getByText('Read-only', { exact: true }).click();
  await expect(maintenance.getByRole('radio', { name: 'Read-only' })).toBeChecked();
  await page.getByRole('textbox', { name: 'Maintenance message' }).fill('disk swap');
  await page.getByRole('button', { name: 'Save options' }).click();
  await expect(page.getByRole('heading', { name: `Datastore ${STORE}` })).toContainText(
    'maintenance: read-only',
  );
  await maintenance.getByText('None', { exact: true }).click();
  await page.getByRole('button', { name: 'Save options' }).click();
  await expect(page.getByRole('heading', { name: `Datastore ${STORE}` })).not.toContainText('maintenance');

  await page.getByRole('button', { name: 'Remove datastore' }).click();
  const dialog = page.getByRole('dialog', { name: `Remove datastore ${STORE}` });
  const confirm = dialog.getByRole('button', { name: 'Remove datastore' });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('checkbox', { name: /Destroy all data/ }).check();
  await dialog.getByRole('textbox', { name: 'Type the datastore name to confirm' }).fill('wrong');
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Type the datastore name to confirm' }).fill(STORE);
  await confirm.click();
  await expectTaskOk(page, `delete-datastore ${STORE}`);
  await expect(
    page.getByRole('group', { name: 'Datastores' }).getByRole('link', { name: STORE }),
  ).toHaveCount(0, {
    timeout: 20_000,
  });
});
