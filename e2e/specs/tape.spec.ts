/**
 * Tape backup journey: a virtual changer with a drive, three labeled tapes in a media pool, a
 * tape backup job run from its grid and followed on its task page, the media set in Content
 * and the tapes in Inventory, then one snapshot restored to a new namespace with the wizard.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { seedSnapshot } from '@pbs/datastore/testing';
import { createDatastore, openDatastore, withoutSync } from '../fixtures/datastores.js';
import { logIn } from '../fixtures/login.js';
import { expect, test } from '../fixtures/server.js';

const STORE = 'tapestore';
const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z
const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
const TAPES = ['tape01', 'tape02', 'tape03'];
const SNAPSHOT = `${STORE}:vm/100/${iso(T0)}`;

let tapeDir = '';

/** Follows a started task from its notice to its page and waits for it to end OK. */
async function openTaskFromNotice(page: Page, title: string | RegExp): Promise<void> {
  const notice = page.getByRole('alert').filter({ hasText: title });
  await expect(notice).toBeVisible();
  await notice.getByRole('link', { name: 'Open task' }).click();
  await expectTaskOk(page);
}

async function expectTaskOk(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/tasks\/UPID/);
  await expect(
    page.getByRole('table', { name: 'Task details' }).getByRole('row', { name: /Status/ }),
  ).toContainText('OK', { timeout: 60_000 });
  await expect(page.getByRole('log', { name: 'Task log' })).toContainText('TASK OK');
}

async function openTab(page: Page, tab: string, url: string): Promise<void> {
  await page.getByRole('tab', { name: tab }).click();
  await expect(page).toHaveURL(new RegExp(`${url}$`));
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ server }) => {
  test.setTimeout(120_000);
  tapeDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pbs-e2e-tapes-'));
  await createDatastore(server, STORE);
  await withoutSync(server, STORE);
  const ds = await openDatastore(server, STORE);
  await seedSnapshot(ds, { type: 'vm', id: '100', time: T0, authId: 'admin@pbs' });
  await seedSnapshot(ds, { type: 'ct', id: '200', time: T0, authId: 'admin@pbs' });
});

test.afterAll(async () => {
  if (tapeDir !== '') await fs.rm(tapeDir, { recursive: true, force: true });
});

/** The worker's server holds other specs' datastores too: choose ours rather than the default. */
async function pickStore(page: Page, dialog: Locator): Promise<void> {
  const picker = dialog.getByRole('combobox', { name: 'Datastore' });
  await picker.click();
  await page.getByRole('option', { name: STORE, exact: true }).click();
  await expect(picker).toHaveValue(STORE);
}

test('configure a virtual changer and drive, a media pool, and label three tapes', async ({ page }) => {
  await logIn(page);
  await page.getByRole('link', { name: 'Tape Backup' }).click();
  await expect(page).toHaveURL(/\/tape\/content$/);

  // A virtual changer (a library in a directory) with a drive in it.
  await openTab(page, 'Changers', '/tape/changers');
  await page.getByRole('button', { name: 'Add tape changer' }).click();
  const changer = page.getByRole('dialog', { name: 'Add tape changer' });
  await changer.getByRole('textbox', { name: 'Changer name' }).fill('lib1');
  await changer.getByRole('textbox', { name: 'Directory' }).fill(tapeDir);
  await changer.getByRole('textbox', { name: 'Slots', exact: true }).fill('6');
  await changer.getByRole('textbox', { name: 'Import/export slots' }).fill('6');
  await changer.getByRole('button', { name: 'Add tape changer' }).click();
  await expect(changer).toBeHidden();
  await expect(page.getByRole('table', { name: 'Tape changers' })).toContainText('lib1');

  await openTab(page, 'Drives', '/tape/drives');
  await page.getByRole('button', { name: 'Add tape drive' }).click();
  const drive = page.getByRole('dialog', { name: 'Add tape drive' });
  await drive.getByRole('textbox', { name: 'Drive name' }).fill('drive1');
  await drive.getByRole('textbox', { name: 'Directory' }).fill(tapeDir);
  await drive.getByRole('combobox', { name: 'Changer' }).click();
  await page.getByRole('option', { name: 'lib1' }).click();
  await drive.getByRole('button', { name: 'Add tape drive' }).click();
  await expect(drive).toBeHidden();
  const drives = page.getByRole('table', { name: 'Tape drives' });
  await expect(drives.getByRole('row', { name: /drive1/ })).toContainText('lib1 (drive 0)');

  // A media pool whose tapes may be overwritten once expired.
  await openTab(page, 'Media Pools', '/tape/pools');
  await page.getByRole('button', { name: 'Add media pool' }).click();
  const pool = page.getByRole('dialog', { name: 'Add media pool' });
  await pool.getByRole('textbox', { name: 'Pool name' }).fill('pool1');
  await pool.getByRole('combobox', { name: 'Allocation policy' }).fill('continue');
  await pool.getByRole('combobox', { name: 'Retention policy' }).fill('not a time span');
  await pool.getByRole('button', { name: 'Add media pool' }).click();
  await expect(pool).toContainText(/retention/i);
  await pool.getByRole('combobox', { name: 'Retention policy' }).fill('overwrite');
  await pool.getByRole('button', { name: 'Add media pool' }).click();
  await expect(pool).toBeHidden();
  await expect(
    page.getByRole('table', { name: 'Media pools' }).getByRole('row', { name: /pool1/ }),
  ).toContainText('overwrite');

  // Three tapes labeled for the pool: each a label-media task.
  await openTab(page, 'Inventory', '/tape/inventory');
  for (const tape of TAPES) {
    await page.getByRole('button', { name: 'Label media' }).click();
    const label = page.getByRole('dialog', { name: 'Label media' });
    await label.getByRole('textbox', { name: 'Label text' }).fill(tape);
    await label.getByRole('combobox', { name: 'Media pool' }).click();
    await page.getByRole('option', { name: 'pool1' }).click();
    await label.getByRole('button', { name: 'Label media' }).click();
    await expect(label).toBeHidden();
    if (tape === TAPES[0]) {
      await openTaskFromNotice(page, 'Labeling media');
      await expect(page.getByRole('log', { name: 'Task log' })).toContainText(`label media '${tape}'`);
      await page.goto('/tape/inventory');
    }
    await expect(
      page.getByRole('table', { name: 'Media' }).getByRole('row', { name: new RegExp(tape) }),
    ).toContainText('pool1', { timeout: 30_000 });
  }
  const inventory = page.getByRole('table', { name: 'Media' });
  for (const tape of TAPES) {
    await expect(inventory.getByRole('row', { name: new RegExp(tape) })).toContainText('online (lib1)');
  }
});

test('create a tape backup job, run it, and see the media set in Content and Inventory', async ({ page }) => {
  await logIn(page);
  await page.goto('/tape/jobs');
  await page.getByRole('button', { name: 'Add tape backup job' }).click();
  const job = page.getByRole('dialog', { name: 'Add tape backup job' });
  await job.getByRole('textbox', { name: 'Job ID' }).fill('nightly');
  await pickStore(page, job);
  await expect(job.getByRole('combobox', { name: 'Media pool' })).toHaveValue('pool1');
  await expect(job.getByRole('combobox', { name: 'Drive' })).toHaveValue('drive1');
  await job.getByRole('combobox', { name: 'Schedule' }).fill('');
  await job.getByRole('button', { name: 'Add tape backup job' }).click();
  await expect(job).toBeHidden();
  const grid = page.getByRole('table', { name: 'Tape backup jobs' });
  await expect(grid.getByRole('row', { name: /nightly/ })).toContainText('never');

  await page.getByRole('button', { name: 'Run tape backup job nightly now' }).click();
  await openTaskFromNotice(page, 'Tape backup job nightly started');

  // The job grid links its last run to the task.
  await page.goto('/tape/jobs');
  await expect(page.getByRole('link', { name: 'Last task of tape backup job nightly' })).toBeVisible();

  // Content: the pool's media set with both snapshots.
  await page.goto('/tape/content');
  const sets = page.getByRole('table', { name: 'Media sets' });
  await expect(sets.getByRole('row', { name: /2 snapshots/ })).toContainText('pool1');
  await sets.getByRole('button', { name: /^Expand media set / }).click();
  await expect(sets.getByText(SNAPSHOT)).toBeVisible();
  await expect(sets.getByText(`${STORE}:ct/200/${iso(T0)}`)).toBeVisible();

  // Inventory: the first tape now belongs to the media set.
  await openTab(page, 'Inventory', '/tape/inventory');
  const first = page
    .getByRole('table', { name: 'Media' })
    .getByRole('row', { name: new RegExp(TAPES[0] ?? '') });
  await expect(first).toContainText('#0');
  await expect(first).toContainText('yes');
});

test('restore one snapshot to a new namespace with the wizard', async ({ page }) => {
  await logIn(page);
  await page.goto('/tape/content');
  const sets = page.getByRole('table', { name: 'Media sets' });
  await sets.getByRole('button', { name: /^Expand media set / }).click();
  await page.getByRole('link', { name: `Restore snapshot ${SNAPSHOT}` }).click();
  await expect(page).toHaveURL(/\/tape\/restore\?media-set=/);

  // Step 1: the media set comes preset from Content.
  await expect(page.getByRole('combobox', { name: 'Media set' })).toHaveValue(/pool1/);
  await page.getByRole('button', { name: 'Next' }).click();
  // Step 2: only the chosen snapshot.
  await expect(page.getByRole('radio', { name: 'Chosen snapshots' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: `Restore snapshot ${SNAPSHOT}` })).toBeChecked();
  await expect(
    page.getByRole('checkbox', { name: `Restore snapshot ${STORE}:ct/200/${iso(T0)}` }),
  ).not.toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  // Step 3: target datastore and a namespace that does not exist yet.
  await page.getByRole('combobox', { name: 'Target datastore' }).click();
  await page.getByRole('option', { name: STORE }).click();
  await page.getByRole('combobox', { name: 'Target namespace' }).fill('restored');
  await page.getByRole('button', { name: 'Next' }).click();
  // Step 4: confirm.
  const summary = page.getByRole('table', { name: 'Restore summary' });
  await expect(summary).toContainText(SNAPSHOT);
  await expect(summary).toContainText(`datastore ${STORE}, namespace restored`);
  await page.getByRole('button', { name: 'Start restore' }).click();
  await expectTaskOk(page);

  // The datastore's Content shows the snapshot in the new namespace, and only that one.
  await page.goto(`/datastore/${STORE}/content?ns=restored`);
  const content = page.getByRole('table', { name: 'Backup content' });
  await expect(content.getByRole('link', { name: 'vm/100', exact: true })).toBeVisible();
  await expect(content.getByRole('link', { name: 'ct/200', exact: true })).toHaveCount(0);
});

test('tape encryption keys: add one, keep its paper key, remove it and restore it from the paper key', async ({
  page,
}) => {
  await logIn(page);
  await page.goto('/tape/content');
  await openTab(page, 'Encryption Keys', '/tape/keys');
  await page.getByRole('button', { name: 'Add key' }).click();
  const add = page.getByRole('dialog', { name: 'Add tape encryption key' });
  await add.getByRole('textbox', { name: 'Password', exact: true }).fill('tape-secret');
  await add.getByRole('textbox', { name: 'Repeat password' }).fill('tape-secrex');
  await add.getByRole('textbox', { name: 'Password hint' }).fill('the usual one');
  await add.getByRole('button', { name: 'Add key' }).click();
  await expect(add.getByText('the passwords differ')).toBeVisible();
  await add.getByRole('textbox', { name: 'Repeat password' }).fill('tape-secret');
  await add.getByRole('button', { name: 'Add key' }).click();

  // The new key's paper key is shown at once, to be printed or saved.
  const paper = page.getByRole('dialog', { name: 'Paper key' });
  const code = paper.getByLabel('Paper key', { exact: true });
  await expect(code).not.toBeEmpty();
  const keyConfig = (await code.textContent()) ?? '';
  await paper.getByRole('button', { name: 'Close' }).click();
  const keys = page.getByRole('table', { name: 'Tape encryption keys' });
  const row = keys.getByRole('row', { name: /the usual one/ });
  await expect(row).toBeVisible();
  const fingerprint = ((await row.getByRole('cell').first().textContent()) ?? '').trim();
  expect(fingerprint).toMatch(/^([0-9a-f]{2}:){31}[0-9a-f]{2}$/);

  // A media pool offers the key by its hint.
  await openTab(page, 'Media Pools', '/tape/pools');
  await page.getByRole('button', { name: 'Edit media pool pool1' }).click();
  const pool = page.getByRole('dialog', { name: 'Edit media pool pool1' });
  await pool.getByRole('combobox', { name: 'Encryption key' }).click();
  await expect(page.getByRole('option', { name: /the usual one/ })).toBeVisible();
  await pool.getByRole('button', { name: 'Cancel' }).click();

  // Removed, then restored from the paper key: the same fingerprint again.
  await openTab(page, 'Encryption Keys', '/tape/keys');
  await page.getByRole('button', { name: `Remove key ${fingerprint}` }).click();
  await page
    .getByRole('dialog', { name: 'Remove tape encryption key' })
    .getByRole('button', { name: 'Remove key' })
    .click();
  await expect(keys.getByRole('row', { name: /the usual one/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Restore key' }).click();
  const restore = page.getByRole('dialog', { name: 'Restore tape encryption key' });
  await restore.getByRole('textbox', { name: 'Paper key' }).fill(keyConfig);
  await restore.getByRole('textbox', { name: 'Password', exact: true }).fill('wrong-password');
  await restore.getByRole('button', { name: 'Restore key' }).click();
  await expect(restore.getByRole('alert')).toBeVisible();
  await restore.getByRole('textbox', { name: 'Password', exact: true }).fill('tape-secret');
  await restore.getByRole('button', { name: 'Restore key' }).click();
  await expect(restore).toBeHidden();
  await expect(keys.getByRole('row', { name: new RegExp(fingerprint) })).toBeVisible();
});

test('a one-shot tape backup from Content starts a new media set on the next tape', async ({ page }) => {
  await logIn(page);
  await page.goto('/tape/content');
  await page.getByRole('button', { name: 'New tape backup' }).click();
  const dialog = page.getByRole('dialog', { name: 'New tape backup' });
  await pickStore(page, dialog);
  await dialog.getByRole('textbox', { name: 'Group filters' }).fill('group:vm/100');
  await dialog.getByRole('checkbox', { name: 'Start a new media set' }).check();
  await dialog.getByRole('button', { name: 'Start backup' }).click();
  await openTaskFromNotice(page, 'Tape backup started');

  await page.goto('/tape/content');
  const sets = page.getByRole('table', { name: 'Media sets' });
  // The new set is on the second tape and holds vm/100 only: the root's and the restored copy.
  const newSet = sets.getByRole('row').filter({ hasText: TAPES[1] ?? '' });
  await expect(newSet).toContainText('2 snapshots');
  await newSet.getByRole('button', { name: /^Expand media set / }).click();
  await expect(sets.getByText(SNAPSHOT)).toBeVisible();
  await expect(sets.getByText(`${STORE}:ns/restored/vm/100/${iso(T0)}`)).toBeVisible();
  await expect(sets.getByText(`${STORE}:ct/200/${iso(T0)}`)).toHaveCount(0);
  await expect(sets.getByRole('row').filter({ hasText: TAPES[0] ?? '' })).toContainText('2 snapshots');
});

test('drives and changers: read the label in the drive, export and import a tape, unload the drive', async ({
  page,
}) => {
  await logIn(page);
  await page.goto('/tape/drives');
  const drives = page.getByRole('table', { name: 'Tape drives' });
  const loaded = (
    (await drives
      .getByRole('row', { name: /drive1/ })
      .getByRole('cell')
      .nth(2)
      .textContent()) ?? ''
  ).trim();
  expect(TAPES).toContain(loaded);
  await page.getByRole('button', { name: 'Read label in drive drive1' }).click();
  const label = page.getByRole('dialog', { name: 'Label of the tape in drive drive1' });
  await expect(label.getByRole('table', { name: 'Media label' })).toContainText(loaded);
  await expect(label.getByRole('table', { name: 'Media label' })).toContainText('pool1');
  await label.getByRole('button', { name: 'Close' }).click();

  // Export the third tape to the import/export slot, then import it again.
  await page.goto('/tape/changers?changer=lib1');
  const slots = page.getByRole('table', { name: 'Slots of changer lib1' });
  const mail = slots.getByRole('row', { name: /import\/export slot 6/ });
  await expect(mail).toContainText('empty');
  await page.getByRole('button', { name: new RegExp(`^Export ${TAPES[2] ?? ''} from slot`) }).click();
  await expect(mail).toContainText(TAPES[2] ?? '');
  await page.goto('/tape/inventory');
  await expect(
    page.getByRole('table', { name: 'Media' }).getByRole('row', { name: new RegExp(TAPES[2] ?? '') }),
  ).toContainText('offline');
  await page.goto('/tape/changers?changer=lib1');
  await page.getByRole('button', { name: `Import ${TAPES[2] ?? ''} from import/export slot 6` }).click();
  await expect(mail).toContainText('empty');

  // Unloading the drive is a task; the tape goes back to its slot.
  await page.getByRole('button', { name: `Unload ${loaded} from drive drive1` }).click();
  await openTaskFromNotice(page, 'Unloading media');
  await page.goto('/tape/drives');
  await expect(drives.getByRole('row', { name: /drive1/ })).toContainText('empty');
});
