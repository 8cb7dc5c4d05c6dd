import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Download, Locator, Page } from '@playwright/test';
import { cliBackup, cliKey } from '../fixtures/backup-client.js';
import { createDatastore } from '../fixtures/datastores.js';
import { logIn } from '../fixtures/login.js';
import { expect, test } from '../fixtures/server.js';

/*
 * The snapshot file browser: snapshots made by the pbs-client CLI from a small tree (text files,
 * a nested folder, a 300 KB binary, a symlink, a non-ASCII name), browsed folder by folder,
 * downloaded as files, folders (.zip, .tar.zst) and a restore basket, and a file's versions.
 */

const STORE = 'files1';
const T1 = 1_700_000_000; // 2023-11-14T22:13:20Z
const T2 = T1 + 3600;
const T3 = T1 + 7200;
const README_1 = 'hello from the first snapshot\n';
const README_2 = 'changed in the second snapshot\n';
const RESUME = 'Lebenslauf — curriculum vitæ\n';
const CONF = 'listen 0.0.0.0:8007\nworkers 4\n';
const big = crypto.randomBytes(300 * 1024);

let source: string;
let work: string;

const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
const snapshotParam = (epoch: number) =>
  new URLSearchParams({ snapshot: `host/box/${iso(epoch)}` }).toString();
const browseUrl = (epoch: number, dir = '') =>
  `/datastore/${STORE}/browse?${snapshotParam(epoch)}${dir === '' ? '' : `&${new URLSearchParams({ path: dir }).toString()}`}`;

function filesTable(page: Page) {
  return page.getByRole('table', { name: 'Files' });
}

/** Clicks a download link (or menu item) and waits for the browser's download to finish. */
async function downloadBy(page: Page, target: Locator): Promise<{ download: Download; file: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), target.click()]);
  expect(await download.failure()).toBeNull();
  const file = path.join(work, `${crypto.randomUUID()}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return { download, file };
}

function zipNames(file: string): string {
  return execFileSync('python3', ['-m', 'zipfile', '-l', file], { encoding: 'utf8' });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ server }) => {
  test.setTimeout(240_000);
  source = await fs.mkdtemp(path.join(os.tmpdir(), 'pbs-e2e-tree-'));
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'pbs-e2e-downloads-'));
  const tree = path.join(source, 'tree');
  await fs.mkdir(path.join(tree, 'docs/deep'), { recursive: true });
  await fs.writeFile(path.join(tree, 'hello.txt'), 'hello\n');
  await fs.writeFile(path.join(tree, 'docs/readme.txt'), README_1);
  await fs.writeFile(path.join(tree, 'docs/résumé.txt'), RESUME);
  await fs.writeFile(path.join(tree, 'docs/deep/big.bin'), big);
  await fs.symlink('readme.txt', path.join(tree, 'docs/link'));
  const conf = path.join(source, 'app.conf');
  await fs.writeFile(conf, CONF);

  await createDatastore(server, STORE);
  const backup = { store: STORE, backupId: 'box', specs: [`root.pxar:${tree}`, `app.conf:${conf}`] };
  await cliBackup(server, { ...backup, backupTime: T1 });
  await fs.writeFile(path.join(tree, 'docs/readme.txt'), README_2);
  await cliBackup(server, { ...backup, backupTime: T2 });
  // an encrypted snapshot of another group: the server cannot read it
  const key = path.join(source, 'key.json');
  await cliKey(server, key);
  await cliBackup(server, {
    store: STORE,
    backupId: 'vault',
    specs: [`root.pxar:${tree}`],
    backupTime: T3,
    keyfile: key,
  });
});

test.afterAll(async () => {
  await fs.rm(source, { recursive: true, force: true });
  await fs.rm(work, { recursive: true, force: true });
});

test('browse a CLI snapshot from Content and download a file byte for byte', async ({ page }) => {
  await logIn(page);
  await page.goto(`/datastore/${STORE}/content?group=host%2Fbox`);
  await page.getByRole('button', { name: `Actions for snapshot host/box/${iso(T1)}` }).click();
  await page.getByRole('menuitem', { name: 'Browse files' }).click();
  await expect(page).toHaveURL(new RegExp(`/datastore/${STORE}/browse\\?${snapshotParam(T1)}$`));
  await expect(page.getByRole('heading', { name: `Files of host/box/${iso(T1)}` })).toBeVisible();
  // the tab bar keeps Content selected
  await expect(page.getByRole('tab', { name: 'Content' })).toHaveAttribute('aria-selected', 'true');

  const archives = page.getByRole('table', { name: 'Archives' });
  await archives.getByRole('link', { name: 'root.pxar.didx' }).click();
  await filesTable(page).getByRole('link', { name: 'docs', exact: true }).click();
  await expect(page).toHaveURL(/path=root.pxar.didx%2Fdocs$/);
  await expect(page.getByRole('navigation', { name: 'Folder path' })).toContainText('docs');

  // its own URL: survives a reload
  await page.reload();
  const files = filesTable(page);
  await expect(files.getByRole('row').filter({ hasText: 'readme.txt' })).toContainText('File');
  await expect(files.getByRole('row').filter({ hasText: 'link' })).toContainText('Symlink');

  // a subfolder expands in place, listed on demand
  await files.getByRole('button', { name: 'Expand /docs/deep' }).click();
  const bigRow = files.getByRole('row').filter({ hasText: 'big.bin' });
  await expect(bigRow).toContainText('300 KiB');
  const { download, file } = await downloadBy(
    page,
    files.getByRole('link', { name: 'Download /docs/deep/big.bin' }),
  );
  expect(download.suggestedFilename()).toBe('big.bin');
  expect((await fs.readFile(file)).equals(big)).toBe(true);

  // a non-ASCII name travels as UTF-8 base64
  const resume = await downloadBy(page, files.getByRole('link', { name: 'Download /docs/résumé.txt' }));
  expect(resume.download.suggestedFilename()).toBe('résumé.txt');
  expect(await fs.readFile(resume.file, 'utf8')).toBe(RESUME);

  // breadcrumbs lead back up to the archive list
  await page.getByRole('navigation', { name: 'Folder path' }).getByRole('link', { name: 'Archives' }).click();
  await expect(
    page.getByRole('table', { name: 'Archives' }).getByRole('link', { name: 'root.pxar.didx' }),
  ).toBeVisible();
});

test('download a folder as .zip and as .tar.zst', async ({ page }) => {
  await logIn(page);
  await page.goto(browseUrl(T1, 'root.pxar.didx'));
  const files = filesTable(page);
  await files.getByRole('button', { name: 'Download /docs' }).click();
  const zip = await downloadBy(page, page.getByRole('menuitem', { name: 'Download as .zip' }));
  expect(zip.download.suggestedFilename()).toMatch(/\.zip$/);
  const names = zipNames(zip.file);
  for (const name of ['docs/readme.txt', 'docs/résumé.txt', 'docs/deep/big.bin', 'docs/link'])
    expect(names).toContain(name);
  const out = path.join(work, 'zip');
  execFileSync('python3', ['-m', 'zipfile', '-e', zip.file, out]);
  expect(await fs.readFile(path.join(out, 'docs/readme.txt'), 'utf8')).toBe(README_1);
  expect((await fs.readFile(path.join(out, 'docs/deep/big.bin'))).equals(big)).toBe(true);

  await files.getByRole('button', { name: 'Download /docs' }).click();
  const tar = await downloadBy(page, page.getByRole('menuitem', { name: 'Download as .tar.zst' }));
  expect(tar.download.suggestedFilename()).toMatch(/\.tar\.zst$/);
  const listing = execFileSync('tar', ['-I', 'zstd', '-tvf', tar.file], { encoding: 'utf8' });
  expect(listing).toContain('docs/link -> readme.txt');
  expect(listing).toContain('docs/deep/big.bin');

  // a whole archive, from the archive list
  await page.getByRole('navigation', { name: 'Folder path' }).getByRole('link', { name: 'Archives' }).click();
  await page
    .getByRole('table', { name: 'Archives' })
    .getByRole('button', { name: 'Download root.pxar.didx' })
    .click();
  const whole = await downloadBy(page, page.getByRole('menuitem', { name: 'Download as .zip' }));
  const all = zipNames(whole.file);
  expect(all).toContain('hello.txt');
  expect(all).toContain('docs/deep/big.bin');
});

test('the restore basket downloads two files as one archive', async ({ page }) => {
  await logIn(page);
  await page.goto(browseUrl(T1, 'root.pxar.didx/docs'));
  const files = filesTable(page);
  await files.getByRole('checkbox', { name: 'Basket: /docs/readme.txt' }).check();
  await files.getByRole('button', { name: 'Expand /docs/deep' }).click();
  // a folder in the basket holds its contents
  await files.getByRole('checkbox', { name: 'Basket: /docs/deep', exact: true }).check();
  await expect(files.getByRole('checkbox', { name: 'Basket: /docs/deep/big.bin' })).toBeDisabled();
  await files.getByRole('checkbox', { name: 'Basket: /docs/deep', exact: true }).uncheck();
  await files.getByRole('checkbox', { name: 'Basket: /docs/deep/big.bin' }).check();

  await page.getByRole('button', { name: 'Basket (2)' }).click();
  await expect(page).toHaveURL(/basket=1/);
  // the basket survives a reload
  await page.reload();
  const drawer = page.getByRole('dialog', { name: 'Restore basket' });
  const basket = drawer.getByRole('table', { name: 'Basket' });
  await expect(basket).toContainText('/docs/readme.txt');
  await expect(basket).toContainText('/docs/deep/big.bin');
  await expect(drawer).toContainText('in 2 files');
  await expect(drawer).toContainText('progress');

  const { file } = await downloadBy(page, drawer.getByRole('link', { name: 'Download basket' }));
  const names = zipNames(file);
  expect(names).toContain('readme.txt');
  expect(names).toContain('big.bin');
  const out = path.join(work, 'basket');
  execFileSync('python3', ['-m', 'zipfile', '-e', file, out]);
  const extracted = await fs.readdir(out, { recursive: true });
  const bigPath = extracted.find((p) => p.endsWith('big.bin'));
  const readmePath = extracted.find((p) => p.endsWith('readme.txt'));
  expect(bigPath && (await fs.readFile(path.join(out, bigPath))).equals(big)).toBe(true);
  expect(readmePath && (await fs.readFile(path.join(out, readmePath), 'utf8'))).toBe(README_1);

  await drawer.getByRole('button', { name: 'Remove /docs/readme.txt from the basket' }).click();
  await expect(basket).not.toContainText('/docs/readme.txt');
  await drawer.getByRole('button', { name: 'Empty basket' }).click();
  await expect(drawer).toContainText('The basket is empty');
});

test("a file's versions across the group's snapshots", async ({ page }) => {
  await logIn(page);
  await page.goto(browseUrl(T2, 'root.pxar.didx/docs'));
  await filesTable(page).getByRole('link', { name: 'Show versions of /docs/readme.txt' }).click();
  await expect(page).toHaveURL(/versions=root.pxar.didx%2Fdocs%2Freadme.txt/);
  await page.reload();
  const drawer = page.getByRole('dialog', { name: 'Versions of /docs/readme.txt' });
  await expect(drawer).toContainText('2 versions in the 2 newest snapshots');
  const rows = drawer.getByRole('table', { name: 'Versions' }).getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('changed');
  await expect(rows.nth(1)).toContainText('this one');
  await expect(rows.nth(2)).toContainText('new');

  const older = await downloadBy(
    page,
    drawer.getByRole('link', { name: `Download the version of ${iso(T1)}` }),
  );
  expect(await fs.readFile(older.file, 'utf8')).toBe(README_1);
  const newer = await downloadBy(
    page,
    drawer.getByRole('link', { name: `Download the version of ${iso(T2)}` }),
  );
  expect(await fs.readFile(newer.file, 'utf8')).toBe(README_2);
});

test('archive rows: a blob downloads decoded; an encrypted archive is refused with a reason', async ({
  page,
}) => {
  await logIn(page);
  await page.goto(`/datastore/${STORE}/content?group=host%2Fbox`);
  await page.getByRole('button', { name: `Show archives of host/box/${iso(T2)}` }).click();
  await page.getByRole('button', { name: `Actions for archive host/box/${iso(T2)}/app.conf.blob` }).click();
  const conf = await downloadBy(page, page.getByRole('menuitem', { name: 'Download', exact: true }));
  expect(conf.download.suggestedFilename()).toBe('app.conf');
  expect(await fs.readFile(conf.file, 'utf8')).toBe(CONF);

  // pxar archive names open the browser
  await page
    .getByRole('table', { name: 'Backup content' })
    .getByRole('link', { name: 'root.pxar.didx' })
    .click();
  await expect(page).toHaveURL(new RegExp(`${snapshotParam(T2)}&path=root.pxar.didx$`));
  await expect(filesTable(page).getByRole('link', { name: 'docs', exact: true })).toBeVisible();

  // encrypted: the server cannot read it, and says so
  await page.goto(
    `/datastore/${STORE}/browse?snapshot=host%2Fvault%2F${encodeURIComponent(iso(T3))}&path=root.pxar.didx`,
  );
  const refusal = page.getByRole('alert').filter({ hasText: 'This archive cannot be browsed' });
  await expect(refusal).toContainText("archive 'root.pxar.didx' is encrypted");
  await page.getByRole('navigation', { name: 'Folder path' }).getByRole('link', { name: 'Archives' }).click();
  const archives = page.getByRole('table', { name: 'Archives' });
  await expect(archives.getByRole('row').filter({ hasText: 'root.pxar.didx' })).toContainText('encrypted');
  await expect(archives.getByRole('button', { name: 'Download root.pxar.didx' })).toHaveCount(0);
});

test('connection information shows the fingerprint to users without Sys.Audit', async ({ page, server }) => {
  await server.services.access.createUser({ userid: 'reader@pbs', password: 'reader-password' });
  await server.services.access.updateAcl({
    path: `/datastore/${STORE}`,
    role: 'DatastoreReader',
    authId: 'reader@pbs',
  });
  await logIn(page, 'reader', 'reader-password');
  await page.goto(`/datastore/${STORE}/summary`);
  const info = page.getByRole('region', { name: 'Connection information' });
  await expect(info.getByLabel('Fingerprint', { exact: true })).toHaveText(
    server.services.certificate.fingerprint,
  );
  await expect(info.getByLabel('Repository', { exact: true })).toContainText(`reader@pbs@`);
});
