import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_BLOB_NAME, runVerify, silentContext, type Datastore } from '@pbs/datastore';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from '@pbs/datastore/testing';
import { TAPE_BLOCK_SIZE } from '../format/constants.js';
import { TapeKeyStore } from '../state/encryption-keys.js';
import { MediaCatalog } from '../state/media-catalog.js';
import { makeTapeFixture, type TapeFixture } from '../testing/fixture.js';
import { FileLock } from '@pbs/config';
import { poolLockPath, runTapeBackup } from './backup.js';
import { restoreCatalog } from './catalog-restore.js';
import { labelMedia, listContent, listMedia, listMediaSets, updateInventory } from './media-ops.js';
import { runTapeRestore } from './restore.js';

const cleanups: (TapeFixture | TestDatastore)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c.cleanup();
});

const POOL = { name: 'pool1' };
const TAPES = ['TAPE01', 'TAPE02', 'TAPE03'];

/** three snapshots of about 2.6 MB (chunks of at most 300 KB) of incompressible data; one with a 900 KB blob (its snapshot archive is cut at the end of the first tape) */
async function seedSource(): Promise<TestDatastore> {
  const src = await makeTestDatastore({ name: 'store1' });
  cleanups.push(src);
  await src.ds.createNamespace('', 'prod');
  await seedSnapshot(src.ds, {
    type: 'host',
    id: 'alpha',
    time: 1_600_000_000,
    files: [
      { name: 'root.pxar.didx', data: randomBytes(700_000) },
      { name: 'notes.blob', data: Buffer.from('alpha') },
    ],
  });
  await seedSnapshot(src.ds, {
    ns: 'prod',
    type: 'vm',
    id: '100',
    time: 1_600_000_100,
    files: [
      { name: 'drive-scsi0.img.fidx', data: randomBytes(300_000) },
      { name: 'root.pxar.didx', data: randomBytes(600_000) },
    ],
  });
  await seedSnapshot(src.ds, {
    ns: 'prod',
    type: 'host',
    id: 'beta',
    time: 1_600_000_200,
    files: [
      { name: 'big.conf.blob', data: randomBytes(900_000) },
      { name: 'root.pxar.didx', data: randomBytes(100_000) },
    ],
  });
  return src;
}

async function labeledLibrary(maxSize: number): Promise<TapeFixture> {
  const f = await makeTapeFixture({ labels: TAPES, maxSize, slots: 8, exportSlots: [8] });
  cleanups.push(f);
  for (const label of TAPES) await labelMedia(f.ctx, f, { labelText: label, pool: POOL.name });
  return f;
}

async function snapshotBytes(
  ds: Datastore,
  ns: string,
  snap: { type: 'vm' | 'ct' | 'host'; id: string; time: number },
) {
  const { manifest } = await ds.loadManifest(ns, snap);
  const reader = await ds.openReader(ns, snap);
  try {
    const files: Record<string, string> = {};
    for (const name of [...manifest.files.map((f) => f.filename), MANIFEST_BLOB_NAME]) {
      files[name] = (await reader.readFile(name)).toString('base64');
    }
    return files;
  } finally {
    reader.close();
  }
}

async function allSnapshots(ds: Datastore, root: string) {
  const out: { ns: string; type: 'vm' | 'ct' | 'host'; id: string; time: number }[] = [];
  for (const { ns } of await ds.listNamespaces(root)) {
    for (const s of await ds.listSnapshots(ns)) out.push({ ns, type: s.type, id: s.id, time: s.time });
  }
  return out.sort((a, b) => a.time - b.time);
}

describe('tape backup and restore through a virtual changer with three small tapes', () => {
  it('spans tapes, restores byte-identically to another namespace, verify passes', async () => {
    const src = await seedSource();
    const f = await labeledLibrary(8 * TAPE_BLOCK_SIZE);
    const result = await runTapeBackup(f.ctx, {
      store: src.ds,
      device: f.device,
      inventory: f.inventory,
      stateDir: f.stateDir,
      pool: POOL,
    });
    expect(result.snapshots).toBe(3);
    expect(result.media).toEqual(TAPES);
    // the snapshot with the big blob did not fit at the end of a tape and was written again
    expect(f.ctx.lines.some((l) => /did not fit on/.test(l))).toBe(true);
    const media = await listMedia(f.inventory, f.stateDir, [POOL], { now: f.ctx.nowSec() });
    const used = media.filter((m) => m.mediaSetUuid === result.mediaSet);
    expect(used.map((m) => m.seqNr)).toEqual(used.map((_, i) => i));
    expect(used.slice(0, -1).every((m) => m.status === 'full')).toBe(true);
    expect(used.every((m) => m.location === 'online-changer0' && m.catalog)).toBe(true);
    const sets = await listMediaSets(f.inventory, [POOL]);
    expect(sets.map((s) => s.mediaSetUuid)).toEqual([result.mediaSet]);
    const content = await listContent(f.inventory, f.stateDir, [POOL], { mediaSet: result.mediaSet });
    expect(content.map((c) => c.snapshot).sort()).toEqual([
      'host/alpha/2020-09-13T12:26:40Z',
      'ns/prod/host/beta/2020-09-13T12:30:00Z',
      'ns/prod/vm/100/2020-09-13T12:28:20Z',
    ]);

    const dst = await makeTestDatastore({ name: 'store2' });
    cleanups.push(dst);
    const restored = await runTapeRestore(f.ctx, {
      device: f.device,
      inventory: f.inventory,
      stateDir: f.stateDir,
      mediaSet: result.mediaSet,
      targets: (store) => (store === 'store1' ? dst.ds : undefined),
      namespaces: [{ source: '', target: 'restored' }],
      owner: 'root@pam',
    });
    expect(restored.restored).toHaveLength(3);
    const before = await allSnapshots(src.ds, '');
    const after = await allSnapshots(dst.ds, 'restored');
    expect(after.map((s) => s.ns)).toEqual(['restored', 'restored/prod', 'restored/prod']);
    for (const [i, s] of before.entries()) {
      const t = after[i];
      expect(t && { type: t.type, id: t.id, time: t.time }).toEqual({ type: s.type, id: s.id, time: s.time });
      expect(await snapshotBytes(dst.ds, t?.ns ?? '', s)).toEqual(await snapshotBytes(src.ds, s.ns, s));
    }
    const verify = await runVerify(dst.ds, { ...silentContext(), upid: 'UPID:t' }, { ns: '' });
    expect(verify.failedSnapshots).toEqual([]);
    expect(verify.verifiedSnapshots).toBe(3);
  });

  it('restores one chosen snapshot reading only the tapes it needs; a second backup continues the set and skips what is there', async () => {
    const src = await seedSource();
    const f = await labeledLibrary(8 * TAPE_BLOCK_SIZE);
    const first = await runTapeBackup(f.ctx, {
      store: src.ds,
      device: f.device,
      inventory: f.inventory,
      stateDir: f.stateDir,
      pool: POOL,
      ns: 'prod',
    });
    expect(first.snapshots).toBe(2);
    await seedSnapshot(src.ds, {
      type: 'host',
      id: 'gamma',
      time: 1_600_000_300,
      files: [{ name: 'x.blob', data: Buffer.from('x') }],
    });
    f.ctx.clock.sec += 60;
    const second = await runTapeBackup(f.ctx, {
      store: src.ds,
      device: f.device,
      inventory: f.inventory,
      stateDir: f.stateDir,
      pool: POOL,
    });
    expect(second.mediaSet).toBe(first.mediaSet); // allocation 'continue'
    expect(second.skipped).toBe(2);
    expect(second.snapshots).toBe(2);
    const dst = await makeTestDatastore({ name: 'store2' });
    cleanups.push(dst);
    const res = await runTapeRestore(f.ctx, {
      device: f.device,
      inventory: f.inventory,
      stateDir: f.stateDir,
      mediaSet: first.mediaSet,
      targets: () => dst.ds,
      snapshots: ['store1:host/gamma/2020-09-13T12:31:40Z'],
      owner: 'root@pam',
    });
    expect(res.restored).toEqual(['store2:host/gamma/2020-09-13T12:31:40Z']);
    const content = await listContent(f.inventory, f.stateDir, [POOL], { backupId: 'gamma' });
    expect(res.media).toEqual([content[0]?.labelText]);
    await expect(
      runTapeRestore(f.ctx, {
        device: f.device,
        inventory: f.inventory,
        stateDir: f.stateDir,
        mediaSet: first.mediaSet,
        targets: () => dst.ds,
        snapshots: ['store1:host/nope/2020-09-13T12:31:40Z'],
        owner: 'root@pam',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('catalogs deleted → rebuilt from tape → restore still works', async () => {
    const src = await seedSource();
    const f = await labeledLibrary(8 * TAPE_BLOCK_SIZE);
    const result = await runTapeBackup(f.ctx, {
      store: src.ds,
      device: f.device,
      inventory: f.inventory,
      stateDir: f.stateDir,
      pool: POOL,
    });
    const originals = new Map<string, Buffer>();
    for (const label of result.media) {
      const uuid = f.inventory.findByLabel(label)?.id.label.uuid as string;
      originals.set(uuid, (await MediaCatalog.load(f.stateDir, uuid))?.encode() as Buffer);
      await MediaCatalog.remove(f.stateDir, uuid);
    }
    const dst = await makeTestDatastore({ name: 'store2' });
    cleanups.push(dst);
    const restore = () =>
      runTapeRestore(f.ctx, {
        device: f.device,
        inventory: f.inventory,
        stateDir: f.stateDir,
        mediaSet: result.mediaSet,
        targets: () => dst.ds,
        owner: 'root@pam',
      });
    await expect(restore()).rejects.toThrow(/catalog .* missing/);
    for (const label of result.media)
      await restoreCatalog(f.ctx, {
        device: f.device,
        inventory: f.inventory,
        stateDir: f.stateDir,
        labelText: label,
      });
    for (const [uuid, raw] of originals) {
      const rebuilt = await MediaCatalog.load(f.stateDir, uuid);
      expect(rebuilt?.snapshots()).toEqual(MediaCatalog.parse(raw, 'x').snapshots());
      expect(rebuilt?.chunkDigests()).toEqual(MediaCatalog.parse(raw, 'x').chunkDigests());
    }
    expect((await restore()).restored).toHaveLength(3);
    expect(
      (await runVerify(dst.ds, { ...silentContext(), upid: 'UPID:t' }, { ns: '' })).failedSnapshots,
    ).toEqual([]);
  });

  it('a wrong tape in the slot gives a clear error naming both labels', async () => {
    const src = await seedSource();
    const f = await labeledLibrary(8 * TAPE_BLOCK_SIZE);
    const result = await runTapeBackup(f.ctx, {
      store: src.ds,
      device: f.device,
      inventory: f.inventory,
      stateDir: f.stateDir,
      pool: POOL,
      ns: 'prod',
    });
    const label = result.media[0] as string;
    // swap the cartridge's content: its barcode now holds another tape's data
    const other = TAPES.find((t) => !result.media.includes(t)) as string;
    for (const name of await fsp.readdir(f.tapeDir)) {
      const m = /^(tapefile-\d+-)(.+)\.json$/.exec(name);
      if (m?.[2] === label) await fsp.rm(path.join(f.tapeDir, name));
    }
    for (const name of await fsp.readdir(f.tapeDir)) {
      const m = /^(tapefile-\d+-)(.+)\.json$/.exec(name);
      if (m?.[2] === other)
        await fsp.copyFile(path.join(f.tapeDir, name), path.join(f.tapeDir, `${m[1]}${label}.json`));
    }
    await fsp.copyFile(
      path.join(f.tapeDir, `tape-${other}.json`),
      path.join(f.tapeDir, `tape-${label}.json`),
    );
    const dst = await makeTestDatastore({ name: 'store2' });
    cleanups.push(dst);
    await expect(
      runTapeRestore(f.ctx, {
        device: f.device,
        inventory: f.inventory,
        stateDir: f.stateDir,
        mediaSet: result.mediaSet,
        targets: () => dst.ds,
        owner: 'root@pam',
      }),
    ).rejects.toThrow(new RegExp(`wrong media in drive 'drive0': expected '${label}'.*found '${other}'`));
  });

  it('labels are refused twice and update inventory finds the labels of a fresh inventory', async () => {
    const f = await labeledLibrary(8 * TAPE_BLOCK_SIZE);
    await expect(labelMedia(f.ctx, f, { labelText: 'TAPE01' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await fsp.rm(path.join(f.stateDir, 'inventory.json'));
    await f.inventory.reload();
    const found = await updateInventory(f.ctx, f);
    expect(found.map((x) => x.labelText).sort()).toEqual(TAPES);
    expect(found.every((x) => x.uuid !== undefined)).toBe(true);
    const media = await listMedia(f.inventory, f.stateDir, [POOL], { now: f.ctx.nowSec() });
    expect(media.map((m) => [m.labelText, m.pool, m.status])).toEqual(
      TAPES.map((t) => [t, 'pool1', 'writable']),
    );
  });

  it('labeling an unknown barcode in a virtual library inserts a blank tape into a free slot', async () => {
    const f = await makeTapeFixture({ labels: [], slots: 2 });
    cleanups.push(f);
    await labelMedia(f.ctx, f, { labelText: 'NEW001', pool: POOL.name });
    await labelMedia(f.ctx, f, { labelText: 'NEW002' });
    expect((await f.device.changer.status()).drives[0]?.label).toBe('NEW002');
    await f.device.changer.unload(0);
    await expect(labelMedia(f.ctx, f, { labelText: 'NEW003' })).rejects.toMatchObject({ code: 'BUSY' });
    expect((await f.device.changer.status()).slots.map((s) => s.label).sort()).toEqual(['NEW001', 'NEW002']);
  });

  it('encrypted media set: round trip with the key, blocks unreadable on tape, clear refusal without the key', async () => {
    const src = await seedSource();
    const f = await labeledLibrary(8 * TAPE_BLOCK_SIZE);
    const keys = new TapeKeyStore(path.join(f.dir, 'etc'));
    const fp = await keys.create({ password: 'tape-key-password', hint: 'the usual', now: f.ctx.nowSec() });
    expect(await keys.list()).toEqual([{ fingerprint: fp, hint: 'the usual', created: f.ctx.nowSec() }]);
    const lookup = (x: string) => keys.key(x);
    const pool = { name: POOL.name, encrypt: fp };
    await expect(
      runTapeBackup(f.ctx, {
        store: src.ds,
        device: f.device,
        inventory: f.inventory,
        stateDir: f.stateDir,
        pool,
      }),
    ).rejects.toThrow(/encryption key .* is not on this server/);
    const result = await runTapeBackup(f.ctx, {
      store: src.ds,
      device: f.device,
      inventory: f.inventory,
      stateDir: f.stateDir,
      pool,
      encryptionKeys: lookup,
    });
    const set = f.inventory.lookup(
      f.inventory.findByLabel(result.media[0] as string)?.id.label.uuid as string,
    )?.id;
    expect(set?.media_set_label?.encryption_key_fingerprint).toBe(fp);
    // labels in the clear, data blocks not
    const raw = (n: number) => fsp.readFile(path.join(f.tapeDir, `tapefile-${n}-${result.media[0]}.json`));
    expect((await raw(1)).subarray(0, 8).toString('hex')).toBe('dcbdafcaeba0a528');
    expect((await raw(2)).subarray(0, 8).toString('hex')).not.toBe('dcbdafcaeba0a528');

    const dst = await makeTestDatastore({ name: 'store2' });
    cleanups.push(dst);
    const restore = (encryptionKeys?: (fp: string) => Promise<Buffer | undefined>) =>
      runTapeRestore(f.ctx, {
        device: f.device,
        inventory: f.inventory,
        stateDir: f.stateDir,
        mediaSet: result.mediaSet,
        targets: () => dst.ds,
        owner: 'root@pam',
        encryptionKeys,
      });
    await expect(restore()).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringContaining(`encrypted with tape key ${fp}`) as unknown,
    });
    // a server that lost the key restores it from the key config and its password
    const paper = await keys.keyConfig(fp);
    const other = new TapeKeyStore(path.join(f.dir, 'etc2'));
    await expect(other.restore({ keyConfig: paper, password: 'wrong-password' })).rejects.toThrow();
    expect(await other.restore({ keyConfig: paper, password: 'tape-key-password' })).toBe(fp);
    expect((await restore((x) => other.key(x))).restored).toHaveLength(3);
    expect(
      (await runVerify(dst.ds, { ...silentContext(), upid: 'UPID:t' }, { ns: '' })).failedSnapshots,
    ).toEqual([]);
    // catalogs rebuilt from encrypted tapes need the key too
    const label = result.media[0] as string;
    await expect(
      restoreCatalog(f.ctx, {
        device: f.device,
        inventory: f.inventory,
        stateDir: f.stateDir,
        labelText: label,
      }),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const rebuilt = await restoreCatalog(f.ctx, {
      device: f.device,
      inventory: f.inventory,
      stateDir: f.stateDir,
      labelText: label,
      encryptionKeys: lookup,
    });
    expect(rebuilt.snapshots).toBeGreaterThan(0);
  });

  it('one backup per pool at a time: a held pool lock makes the next backup BUSY', async () => {
    const src = await seedSource();
    const f = await labeledLibrary(8 * TAPE_BLOCK_SIZE);
    await fsp.mkdir(f.stateDir, { recursive: true });
    const held = await FileLock.acquire(poolLockPath(f.stateDir, POOL.name));
    try {
      await expect(
        runTapeBackup(f.ctx, {
          store: src.ds,
          device: f.device,
          inventory: f.inventory,
          stateDir: f.stateDir,
          pool: POOL,
        }),
      ).rejects.toMatchObject({
        code: 'BUSY',
        message: expect.stringContaining("'pool1' is in use") as unknown,
      });
    } finally {
      held.release();
    }
  });

  it('refuses S3 datastores', async () => {
    const f = await labeledLibrary(8 * TAPE_BLOCK_SIZE);
    const fake = { name: 's3store', backend: { capabilities: { local: false } } } as unknown as Datastore;
    await expect(
      runTapeBackup(f.ctx, {
        store: fake,
        device: f.device,
        inventory: f.inventory,
        stateDir: f.stateDir,
        pool: POOL,
      }),
    ).rejects.toMatchObject({
      code: 'NOT_IMPLEMENTED',
      message: expect.stringContaining("'s3store'") as unknown,
    });
  });
});
