import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { cliBackup } from '../fixtures/backup-client.js';
import { logIn } from '../fixtures/login.js';
import { expect, test } from '../fixtures/s3.js';

/*
 * S3 journey: an S3 endpoint added through Configuration → S3 Endpoints (pinned to s3rver's
 * self-signed certificate), its connection checked, an S3 datastore created through Add
 * Datastore with the live bucket list, a backup by the CLI, the snapshot in Content, the
 * request counters and cost on Summary; the secret key appears nowhere.
 */

const ENDPOINT = 'e2e-s3';
const STORE = 's3store1';
const T1 = 1_700_000_000;

let source: string;
let cache: string;

async function expectTaskOk(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/tasks\/UPID/);
  const details = page.getByRole('table', { name: 'Task details' });
  await expect(details.getByRole('row', { name: /Status/ })).toContainText('OK', { timeout: 90_000 });
  await expect(page.getByRole('log', { name: 'Task log' })).toContainText('TASK OK');
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  source = await fs.mkdtemp(path.join(os.tmpdir(), 'pbs-e2e-s3src-'));
  cache = await fs.mkdtemp(path.join(os.tmpdir(), 'pbs-e2e-s3cache-'));
  await fs.writeFile(path.join(source, 'hello.txt'), 'hello from s3\n');
  await fs.writeFile(path.join(source, 'data.bin'), Buffer.alloc(200_000, 7));
});

test.afterAll(async () => {
  await fs.rm(source, { recursive: true, force: true });
  await fs.rm(cache, { recursive: true, force: true });
});

test('add an S3 endpoint through the dialog and check its connection', async ({ page, s3 }) => {
  await logIn(page);
  await page.getByRole('link', { name: 'S3 Endpoints' }).click();
  await expect(page).toHaveURL(/\/config\/s3$/);
  await expect(page.getByRole('heading', { name: 'S3 Endpoints' })).toBeVisible();
  await page.getByRole('button', { name: 'Add S3 endpoint' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add S3 Endpoint' });

  // inline validation with the server's schema: a plain-HTTP endpoint and a short fingerprint
  await dialog.getByRole('textbox', { name: 'S3 Endpoint ID' }).fill(ENDPOINT);
  await dialog.getByRole('textbox', { name: 'Endpoint', exact: true }).fill('http://127.0.0.1');
  await dialog.getByRole('textbox', { name: 'Fingerprint' }).fill('ab:cd');
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog.getByRole('textbox', { name: 'Endpoint', exact: true })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await expect(dialog.getByRole('textbox', { name: 'Fingerprint' })).toHaveAttribute('aria-invalid', 'true');

  await dialog.getByRole('textbox', { name: 'Endpoint', exact: true }).fill(s3.endpoint);
  await dialog.getByRole('textbox', { name: 'Port' }).fill(String(s3.port));
  await dialog.getByRole('textbox', { name: 'Region' }).fill('us-east-1');
  await dialog.getByRole('textbox', { name: 'Access Key' }).fill(s3.accessKey);
  await dialog.getByRole('textbox', { name: 'Secret Key' }).fill(s3.secretKey);
  await dialog.getByRole('textbox', { name: 'Fingerprint' }).fill(s3.fingerprint);
  await dialog.getByRole('checkbox', { name: 'Path Style' }).check();
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(dialog).toBeHidden();

  const grid = page.getByRole('table', { name: 'S3 endpoints' });
  const row = grid.getByRole('row').filter({ hasText: ENDPOINT });
  await expect(row).toContainText(s3.endpoint);
  await expect(row).toContainText(String(s3.port));
  await expect(row).toContainText('path style');

  await page.getByRole('button', { name: `Check connection of ${ENDPOINT}` }).click();
  const check = page.getByRole('dialog', { name: `Check S3 Endpoint ${ENDPOINT}` });
  await expect(check.getByRole('region', { name: 'Buckets' })).toContainText(s3.bucket);
  await check.getByRole('combobox', { name: 'Bucket' }).fill(s3.bucket);
  await check.getByRole('button', { name: 'Check connection' }).click();
  await expect(check.getByRole('status')).toContainText('Connection OK');
  await check.getByRole('button', { name: 'Close' }).click();

  // the secret never comes back: not in the page, not in the edit dialog
  await page.getByRole('button', { name: `Edit S3 endpoint ${ENDPOINT}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit S3 Endpoint ${ENDPOINT}` });
  await expect(edit.getByRole('textbox', { name: 'Secret Key' })).toHaveValue('');
  await expect(edit.getByRole('textbox', { name: 'Secret Key' })).toHaveAttribute('placeholder', 'Unchanged');
  await edit.getByRole('button', { name: 'Cancel' }).click();
  const reply = await page.request.get(`/api2/json/config/s3/${ENDPOINT}`);
  expect(await reply.text()).not.toMatch(/secret/i);
});

test('create an S3 datastore, back up with the CLI, see the snapshot and the S3 counters', async ({
  page,
  s3,
  server,
}) => {
  test.setTimeout(240_000);
  await logIn(page);
  await page.getByRole('link', { name: 'Add Datastore' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add Datastore' });
  await dialog.getByText('S3', { exact: true }).click();
  await dialog.getByRole('textbox', { name: 'Name' }).fill(STORE);
  await dialog.getByRole('combobox', { name: 'S3 Endpoint ID' }).click();
  await page.getByRole('option', { name: new RegExp(`^${ENDPOINT}`) }).click();
  const bucket = dialog.getByRole('combobox', { name: 'Bucket' });
  await bucket.click();
  await page.getByRole('option', { name: s3.bucket }).click();
  await expect(bucket).toHaveValue(s3.bucket);
  await dialog.getByRole('textbox', { name: 'Local Cache' }).fill(cache);
  await expect(dialog.getByRole('checkbox', { name: 'Overwrite in-use marker' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Create datastore' }).click();
  await expectTaskOk(page);
  await expect(page.getByRole('log', { name: 'Task log' })).toContainText(`bucket '${s3.bucket}'`);

  await cliBackup(server, {
    store: STORE,
    specs: [`root.pxar:${source}`],
    backupId: 'box',
    backupTime: T1,
  });

  await page.getByRole('group', { name: 'Datastores' }).getByRole('link', { name: STORE }).click();
  await page.getByRole('tab', { name: 'Content' }).click();
  await expect(
    page.getByRole('table', { name: 'Backup content' }).getByRole('link', { name: 'host/box', exact: true }),
  ).toBeVisible();

  await page.getByRole('tab', { name: 'Summary' }).click();
  const card = page.getByRole('region', { name: 'S3 requests and cost' });
  await expect(card).toContainText(`bucket ${s3.bucket}`);
  const requests = card.getByRole('table', { name: 'S3 requests by method' });
  const put = requests.getByRole('row').filter({ hasText: 'PUT' }).first();
  await expect(put.getByRole('cell').nth(1)).not.toHaveText('0');
  await expect(card).toContainText('Estimated monthly cost');
});

test('browse and download a file from the S3 datastore, run GC and see its task page', async ({ page }) => {
  test.setTimeout(180_000);
  await logIn(page);
  const iso = new Date(T1 * 1000).toISOString().replace('.000Z', 'Z');
  await page.goto(`/datastore/${STORE}/content?group=host%2Fbox`);
  await page.getByRole('button', { name: `Actions for snapshot host/box/${iso}` }).click();
  await page.getByRole('menuitem', { name: 'Browse files' }).click();
  await page.getByRole('table', { name: 'Archives' }).getByRole('link', { name: 'root.pxar.didx' }).click();
  const files = page.getByRole('table', { name: 'Files' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    files.getByRole('link', { name: 'Download /hello.txt' }).click(),
  ]);
  const saved = path.join(source, 'downloaded.txt');
  await download.saveAs(saved);
  expect(await fs.readFile(saved, 'utf8')).toBe('hello from s3\n');

  await page.goto(`/datastore/${STORE}/prune-gc`);
  const gc = page.getByRole('region', { name: 'Garbage collection' });
  await gc.getByRole('button', { name: 'Start garbage collection' }).click();
  const notice = page.getByRole('alert').filter({ hasText: `Garbage collection of ${STORE} started` });
  await notice.getByRole('link', { name: 'Open task' }).click();
  await expect(page.getByRole('heading', { name: `garbage_collection ${STORE}` })).toBeVisible();
  await expectTaskOk(page);
});
