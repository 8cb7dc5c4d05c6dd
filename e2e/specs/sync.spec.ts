import type { Page } from '@playwright/test';
import { seedSnapshot } from '@pbs/datastore/testing';
import { createDatastore, openDatastore } from '../fixtures/datastores.js';
import { logIn } from '../fixtures/login.js';
import { expect, test } from '../fixtures/second-server.js';
import { ADMIN_PASSWORD } from '../fixtures/server.js';

const SOURCE = 'source1';
const TARGET = 'target1';
const REMOTE = 'second';
const JOB = 'pull-second';
const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z
const DAY = 86_400;

/** A backup time as PBS names snapshot directories. */
const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');

function contentTable(page: Page) {
  return page.getByRole('table', { name: 'Backup content' });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ server, secondServer }) => {
  test.setTimeout(240_000);
  // one after the other: each creates 65,536 chunk directories
  await createDatastore(secondServer, SOURCE);
  await createDatastore(server, TARGET);
  const ds = await openDatastore(secondServer, SOURCE);
  const authId = 'admin@pbs';
  for (let i = 0; i < 2; i++) await seedSnapshot(ds, { type: 'vm', id: '100', time: T0 + i * DAY, authId });
  await seedSnapshot(ds, { type: 'vm', id: '101', time: T0, authId });
  await seedSnapshot(ds, { type: 'ct', id: '200', time: T0, authId });
  await ds.createNamespace('', 'dept');
  await seedSnapshot(ds, { ns: 'dept', type: 'vm', id: '300', time: T0, authId });
});

test('add the second server as a remote: fetch and confirm its fingerprint, test, scan', async ({
  page,
  secondServer,
}) => {
  await logIn(page);
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Remotes', exact: true })
    .click();
  await expect(page).toHaveURL(/\/config\/remotes$/);

  await page.getByRole('button', { name: 'Add remote' }).click();
  const add = page.getByRole('dialog', { name: 'Add remote' });
  await add.getByRole('textbox', { name: 'Remote ID' }).fill(REMOTE);
  await add.getByRole('textbox', { name: 'Host' }).fill('127.0.0.1');
  await add.getByRole('textbox', { name: 'Port' }).fill(String(secondServer.port));
  await add.getByRole('textbox', { name: 'Auth ID' }).fill('admin@pbs');
  await add.getByLabel('Password or token secret').fill(ADMIN_PASSWORD);

  // The fingerprint is only filled in once the admin confirms the certificate shown.
  const fingerprint = secondServer.services.certificate.fingerprint;
  await add.getByRole('button', { name: 'Fetch fingerprint' }).click();
  const certificate = add.getByRole('region', { name: 'Certificate of 127.0.0.1' });
  await expect(certificate.getByLabel('Fetched fingerprint')).toHaveText(fingerprint, { ignoreCase: true });
  await expect(add.getByRole('textbox', { name: 'Fingerprint' })).toHaveValue('');
  await certificate.getByRole('button', { name: 'Confirm fingerprint' }).click();
  await expect(certificate).toBeHidden();
  await expect(add.getByRole('textbox', { name: 'Fingerprint' })).toHaveValue(fingerprint);
  await add.getByRole('button', { name: 'Add remote' }).click();
  await expect(add).toBeHidden();

  const remotes = page.getByRole('table', { name: 'Remotes' });
  await expect(remotes.getByRole('row', { name: new RegExp(REMOTE) })).toContainText('admin@pbs');

  // Editing with the secret left blank keeps the stored one: the connection test still logs in.
  await remotes.getByRole('button', { name: `Edit remote ${REMOTE}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit remote ${REMOTE}` });
  await expect(edit.getByLabel('Password or token secret')).toHaveValue('');
  await edit.getByRole('textbox', { name: 'Comment' }).fill('the second server');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(remotes.getByRole('row', { name: new RegExp(REMOTE) })).toContainText('the second server');

  await remotes.getByRole('button', { name: `Test connection to remote ${REMOTE}` }).click();
  const testDialog = page.getByRole('dialog', { name: `Connection test of remote ${REMOTE}` });
  await expect(testDialog.getByRole('status', { name: 'Connection test result' })).toContainText(
    'Connection OK',
  );
  await testDialog.getByRole('button', { name: 'Close' }).click();

  // The scan is a page of its own: datastores, then the groups of a namespace; reloadable.
  await remotes.getByRole('button', { name: `Scan remote ${REMOTE}` }).click();
  await page
    .getByRole('navigation', { name: 'Remote datastores' })
    .getByRole('link', { name: SOURCE })
    .click();
  await expect(page).toHaveURL(new RegExp(`/config/remotes/${REMOTE}/scan\\?store=${SOURCE}$`));
  await page.reload();
  const groups = page.getByRole('table', { name: 'Remote groups' });
  for (const group of ['vm/100', 'vm/101', 'ct/200']) {
    await expect(groups.getByRole('row', { name: new RegExp(group) })).toBeVisible();
  }
  await page
    .getByRole('navigation', { name: 'Remote namespaces' })
    .getByRole('link', { name: 'dept' })
    .click();
  await expect(page).toHaveURL(new RegExp(`\\?store=${SOURCE}&ns=dept$`));
  await expect(groups.getByRole('row', { name: /vm\/300/ })).toBeVisible();
  await expect(groups.getByRole('row', { name: /vm\/100/ })).toHaveCount(0);
});

test('a pull job with a group filter, run now: only the filtered group arrives', async ({ page }) => {
  await logIn(page);
  await page.goto(`/datastore/${TARGET}/summary`);
  await page.getByRole('tab', { name: 'Sync Jobs' }).click();
  await expect(page).toHaveURL(new RegExp(`/datastore/${TARGET}/sync$`));

  await page.getByRole('button', { name: 'Add pull job' }).click();
  const add = page.getByRole('dialog', { name: 'Add pull job' });
  await add.getByRole('textbox', { name: 'Job ID' }).fill(JOB);
  await add.getByRole('combobox', { name: 'Schedule' }).fill('');
  await add.getByRole('combobox', { name: 'Remote', exact: true }).click();
  await page.getByRole('option', { name: REMOTE, exact: true }).click();
  // the remote's datastores come from a scan
  await add.getByRole('combobox', { name: 'Source datastore' }).click();
  await page.getByRole('option', { name: SOURCE, exact: true }).click();

  const preview = add.getByRole('region', { name: 'Filter preview' });
  await expect(preview).toContainText('3 of 3 groups');
  await add.getByRole('button', { name: 'Add filter' }).click();
  await add.getByRole('combobox', { name: 'Filter 1 value' }).fill('vm/100');
  await expect(preview).toContainText('1 of 3 groups');
  await expect(preview.getByLabel('vm/100: synced')).toBeVisible();
  await expect(preview.getByLabel('ct/200: skipped')).toBeVisible();
  await add.getByRole('button', { name: 'Add pull job' }).click();
  await expect(add).toBeHidden();

  const jobs = page.getByRole('table', { name: 'Sync jobs' });
  const row = jobs.getByRole('row', { name: new RegExp(JOB) });
  await expect(row).toContainText('group:vm/100');
  await expect(row).toContainText(REMOTE);
  await page.reload();
  await expect(row).toContainText(SOURCE);

  await jobs.getByRole('button', { name: `Run sync job ${JOB} now` }).click();
  const notice = page.getByRole('alert').filter({ hasText: `Sync job ${JOB} started` });
  await expect(notice).toBeVisible();
  await notice.getByRole('link', { name: 'Open task' }).click();
  await expect(page).toHaveURL(/\/tasks\/UPID/);
  await expect(
    page.getByRole('table', { name: 'Task details' }).getByRole('row', { name: /Status/ }),
  ).toContainText('OK', { timeout: 60_000 });
  await expect(page.getByRole('log', { name: 'Task log' })).toContainText('TASK OK');

  // The job's last run links to that task.
  await page.goto(`/datastore/${TARGET}/sync`);
  await expect(jobs.getByRole('link', { name: `Last task of sync job ${JOB}` })).toBeVisible();

  await page.getByRole('tab', { name: 'Content' }).click();
  await expect(contentTable(page).getByRole('link', { name: 'vm/100', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Expand group vm/100' }).click();
  for (const time of [T0, T0 + DAY]) {
    await expect(contentTable(page).getByRole('link', { name: iso(time), exact: true })).toBeVisible();
  }
  await expect(contentTable(page).getByRole('link', { name: 'vm/101', exact: true })).toHaveCount(0);
  await expect(contentTable(page).getByRole('link', { name: 'ct/200', exact: true })).toHaveCount(0);
});

test('the datastore root lists every store sync job', async ({ page }) => {
  await logIn(page);
  await page.goto('/datastore/sync');
  const jobs = page.getByRole('table', { name: 'Sync jobs' });
  const row = jobs.getByRole('row', { name: new RegExp(JOB) });
  await expect(row.getByRole('link', { name: TARGET })).toBeVisible();
  await row.getByRole('button', { name: `Edit sync job ${JOB}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit pull job ${JOB}` });
  await expect(edit.getByRole('combobox', { name: 'Filter 1 value' })).toHaveValue('vm/100');
  await edit.getByRole('button', { name: 'Cancel' }).click();

  await row.getByRole('button', { name: `Remove sync job ${JOB}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove sync job' });
  await confirm.getByRole('button', { name: 'Remove sync job' }).click();
  await expect(confirm).toBeHidden();
  await expect(jobs.getByRole('row', { name: new RegExp(JOB) })).toHaveCount(0);
});
