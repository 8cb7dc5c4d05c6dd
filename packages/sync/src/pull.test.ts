import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataBlob, type Datastore } from '@pbs/datastore';
import { makeTestDatastore, seedSnapshot, type TestDatastore } from '@pbs/datastore/testing';
import type { TaskProgress } from '@pbs/api-types/domain';
import type { SyncContext } from './context.js';
import { pull, type PullOptions } from './pull.js';
import { unlimited } from './rate-limit.js';
import { LocalSource, type SnapshotSource, type SyncSource } from './sources.js';

const T0 = 1_700_000_000;
let src: TestDatastore;
let dst: TestDatastore;

function data(seed: string, kib: number): Buffer {
  const out = Buffer.alloc(kib * 1024);
  let block = createHash('sha256').update(seed).digest();
  for (let off = 0; off < out.length; off += 32) {
    block.copy(out, off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

function ctx(): SyncContext & { logs: string[]; warnings: string[]; updates: Partial<TaskProgress>[] } {
  const logs: string[] = [];
  const warnings: string[] = [];
  const updates: Partial<TaskProgress>[] = [];
  return {
    signal: new AbortController().signal,
    clock: { now: () => Date.now() },
    log: (m) => logs.push(m),
    warn: (m) => {
      warnings.push(m);
      if (process.env.SYNC_DEBUG) console.log(m);
    },
    progress: (u) => updates.push(u),
    logs,
    warnings,
    updates,
  };
}

const run = (opts: Partial<PullOptions> = {}, c = ctx()) => runLogged(opts, c);
const runLogged = (opts: Partial<PullOptions>, c: ReturnType<typeof ctx>) =>
  pull(
    {
      source: new LocalSource(src.ds, 'src', unlimited),
      sourceNs: '',
      target: dst.ds,
      targetStore: 'dst',
      targetNs: '',
      owner: 'sync@pbs',
      ...opts,
    },
    c,
  );

const times = async (ds: Datastore, ns: string, type: 'vm' | 'ct' | 'host', id: string) =>
  (await ds.listSnapshots(ns, { type, id })).filter((s) => s.finished).map((s) => s.time);

beforeEach(async () => {
  src = await makeTestDatastore({ name: 'src' });
  dst = await makeTestDatastore({ name: 'dst' });
  await src.ds.createNamespace('', 'a');
  await src.ds.createNamespace('a', 'b');
  const shared = data('shared', 256);
  await seedSnapshot(src.ds, {
    type: 'vm',
    id: '100',
    time: T0,
    files: [{ name: 'drive.pxar.didx', data: shared }],
  });
  await seedSnapshot(src.ds, {
    type: 'vm',
    id: '100',
    time: T0 + 3600,
    files: [
      { name: 'drive.pxar.didx', data: Buffer.concat([shared, data('more', 64)]) },
      { name: 'disk.img.fidx', data: data('image', 100) },
      { name: 'qemu-server.conf.blob', data: Buffer.from('memory: 512\n') },
    ],
  });
  await seedSnapshot(src.ds, {
    type: 'ct',
    id: '200',
    time: T0,
    files: [{ name: 'root.pxar.didx', data: shared }],
  });
  await seedSnapshot(src.ds, {
    ns: 'a',
    type: 'host',
    id: 'web',
    time: T0,
    files: [{ name: 'root.pxar.didx', data: data('web', 128) }],
  });
  await seedSnapshot(src.ds, { ns: 'a/b', type: 'host', id: 'db', time: T0 });
});
afterEach(async () => {
  await src.cleanup();
  await dst.cleanup();
});

describe('pull (local source)', () => {
  it('copies namespaces, groups and snapshots byte for byte, chunks deduplicated, owner set', async () => {
    const chunkFiles = async (base: string) =>
      (await fs.promises.readdir(path.join(base, '.chunks'), { recursive: true })).filter((f) =>
        /[0-9a-f]{64}$/.test(f),
      );
    const before = new Set(await chunkFiles(dst.base));
    const stats = await run();
    expect(stats).toMatchObject({ namespaces: 3, groups: 4, snapshots: 5, groupsFailed: 0 });
    expect(await times(dst.ds, '', 'vm', '100')).toEqual([T0, T0 + 3600]);
    expect(await times(dst.ds, 'a/b', 'host', 'db')).toEqual([T0]);
    expect(await dst.ds.getOwner('', { type: 'vm', id: '100' })).toBe('sync@pbs');
    const rel = 'vm/100/2023-11-14T23:13:20Z';
    for (const f of ['index.json.blob', 'drive.pxar.didx', 'disk.img.fidx', 'qemu-server.conf.blob'])
      expect(
        fs.readFileSync(path.join(dst.base, rel, f)).equals(fs.readFileSync(path.join(src.base, rel, f))),
      ).toBe(true);
    // the four 64 KiB chunks of 'shared' go over once: the second vm snapshot and ct/200 reuse them
    expect(stats.chunksExisting).toBe(8);
    const srcChunks = await chunkFiles(src.base);
    const dstChunks = await chunkFiles(dst.base);
    expect(dstChunks.sort()).toEqual(srcChunks.sort());
    expect(stats.chunksTransferred).toBe(dstChunks.filter((c) => !before.has(c)).length);
  });

  it('reports progress: group n of m, snapshot k of l, bytes growing, fraction to 1', async () => {
    const c = ctx();
    const stats = await run({}, c);
    const phases = c.updates.map((u) => u.phase ?? '');
    expect(phases).toContain('group 1 of 4: ct/200');
    expect(
      phases.some((p) => /^group \d of 4: vm\/100\/2023-11-14T23:13:20Z \(snapshot 2 of 2\)$/.test(p)),
    ).toBe(true);
    expect(c.updates.every((u) => u.itemsTotal === 4)).toBe(true);
    const bytes = c.updates.map((u) => u.bytesDone ?? 0);
    expect(bytes).toEqual([...bytes].sort((x, y) => x - y));
    expect(c.updates.at(-1)).toMatchObject({
      phase: 'done',
      fraction: 1,
      itemsDone: 4,
      bytesDone: stats.bytes,
    });
    expect(c.logs.at(-1)).toMatch(/transferred in total \(\d+ bytes, [\d.]+ (B|KiB|MiB)\/s over/);
  });

  it('syncs groups in parallel with worker-threads, with the same result', async () => {
    const stats = await run({ workerThreads: 4 });
    expect(stats).toMatchObject({ groups: 4, snapshots: 5, groupsFailed: 0 });
    expect(await times(dst.ds, '', 'vm', '100')).toEqual([T0, T0 + 3600]);
    expect(await times(dst.ds, 'a', 'host', 'web')).toEqual([T0]);
  });

  it('a second run transfers no chunks and re-checks only the last snapshot', async () => {
    await run();
    const c = ctx();
    const stats = await run({}, c);
    expect(stats.chunksTransferred).toBe(0);
    expect(stats.snapshots).toBe(0);
    expect(c.logs.some((l) => /skipped 1 already synced/.test(l))).toBe(true);
  });

  it('only new snapshots and their new chunks go over after the source grew', async () => {
    await run();
    await seedSnapshot(src.ds, {
      type: 'vm',
      id: '100',
      time: T0 + 7200,
      files: [{ name: 'drive.pxar.didx', data: Buffer.concat([data('shared', 256), data('newer', 64)]) }],
    });
    const stats = await run();
    expect(stats.snapshots).toBe(1);
    expect(stats.chunksTransferred).toBe(1); // the changed last chunk only
  });

  it('maps namespaces below target ns, to max-depth', async () => {
    await dst.ds.createNamespace('', 'mirror');
    const stats = await run({ sourceNs: 'a', targetNs: 'mirror', maxDepth: 0 });
    expect(stats.groups).toBe(1);
    expect(await times(dst.ds, 'mirror', 'host', 'web')).toEqual([T0]);
    expect((await dst.ds.listNamespaces('mirror')).map((n) => n.ns)).toEqual(['mirror']);
    await run({ sourceNs: 'a', targetNs: 'mirror' });
    expect(await times(dst.ds, 'mirror/b', 'host', 'db')).toEqual([T0]);
  });

  it('applies group filters and transfer-last', async () => {
    await run({ groupFilter: ['type:vm'], transferLast: 1, maxDepth: 0 });
    expect(await times(dst.ds, '', 'vm', '100')).toEqual([T0 + 3600]);
    expect((await dst.ds.listGroups('')).map((g) => `${g.type}/${g.id}`)).toEqual(['vm/100']);
  });

  it('remove-vanished deletes snapshots, groups and namespaces the source lost', async () => {
    await run();
    await src.ds.removeSnapshot('', { type: 'vm', id: '100', time: T0 });
    await src.ds.removeGroup('', { type: 'ct', id: '200' });
    await src.ds.removeNamespace('a/b', { deleteGroups: true });
    // without the flag nothing goes
    await run();
    expect(await times(dst.ds, '', 'vm', '100')).toEqual([T0, T0 + 3600]);
    const stats = await run({ removeVanished: true });
    // vm/100 T0, ct/200 (group), a/b with host/db (namespace, group and snapshot)
    expect(stats).toMatchObject({ removedSnapshots: 3, removedGroups: 2, removedNamespaces: 1 });
    expect(await times(dst.ds, '', 'vm', '100')).toEqual([T0 + 3600]);
    expect((await dst.ds.listGroups('')).map((g) => g.id)).toEqual(['100']);
    expect((await dst.ds.listNamespaces('')).map((n) => n.ns)).toEqual(['', 'a']);
  });

  it('an interrupted pull leaves no partial snapshot; the next run completes it', async () => {
    const local = new LocalSource(src.ds, 'src', unlimited);
    let chunks = 0;
    const failing: SyncSource = {
      description: 'flaky',
      listNamespaces: (b, d) => local.listNamespaces(b, d),
      listGroups: (ns) => local.listGroups(ns),
      listSnapshots: (ns, g) => local.listSnapshots(ns, g),
      async openSnapshot(ns, snap): Promise<SnapshotSource> {
        const inner = await local.openSnapshot(ns, snap);
        return {
          readFile: (n) => inner.readFile(n),
          readChunk: (d) => {
            if (++chunks === 2) return Promise.reject(new Error('connection reset'));
            return inner.readChunk(d);
          },
          close: () => inner.close(),
        };
      },
    };
    const c = ctx();
    await expect(run({ source: failing, groupFilter: ['group:vm/100'] }, c)).rejects.toThrow(/1 error/);
    expect(c.warnings.join('\n')).toMatch(/connection reset/);
    const partial = await dst.ds.listSnapshots('', { type: 'vm', id: '100' }).catch(() => []);
    expect(partial.every((s) => s.finished)).toBe(true);
    expect(partial.map((s) => s.time)).not.toContain(T0 + 3600);
    const stats = await run({ groupFilter: ['group:vm/100'] });
    expect(stats.groupsFailed).toBe(0);
    expect(await times(dst.ds, '', 'vm', '100')).toEqual([T0, T0 + 3600]);
  });

  it('reports a corrupt source chunk and does not store it', async () => {
    // corrupt the one chunk of host/web in the source store
    const snap = { type: 'host' as const, id: 'web', time: T0 };
    const index = await src.ds.openIndex('a', snap, 'root.pxar.didx');
    const digest = index.digestAt(0) as string;
    const file = path.join(src.base, '.chunks', digest.slice(0, 4), digest);
    // other content under the digest, with a valid CRC: only the digest check can notice
    fs.writeFileSync(file, DataBlob.encode(Buffer.from('not the data of this digest')).raw);
    const c = ctx();
    await expect(run({ sourceNs: 'a', maxDepth: 0 }, c)).rejects.toThrow(/error/);
    expect(c.warnings.join('\n')).toMatch(new RegExp(`source chunk ${digest} is corrupt`));
    expect(fs.existsSync(path.join(dst.base, '.chunks', digest.slice(0, 4), digest))).toBe(false);
    expect(await times(dst.ds, 'a', 'host', 'web').catch(() => [])).toEqual([]);
  });

  it('verified-only takes only snapshots verified ok on the source; encrypted-only none of these plain ones', async () => {
    await src.ds.updateManifest('', { type: 'vm', id: '100', time: T0 }, (u) => {
      u.verify_state = { state: 'ok', upid: 'UPID:x' };
    });
    const stats = await run({ verifiedOnly: true, groupFilter: ['type:vm'] });
    expect(stats.snapshots).toBe(1);
    expect(await times(dst.ds, '', 'vm', '100')).toEqual([T0]);
    // the verify state came along in the source manifest
    expect((await dst.ds.snapshotInfo('', { type: 'vm', id: '100', time: T0 })).verification?.state).toBe(
      'ok',
    );
    const c = ctx();
    expect((await run({ encryptedOnly: true, groupFilter: ['type:ct'] }, c)).snapshots).toBe(0);
    expect(c.logs.join('\n')).toMatch(/skipped 1 not encrypted snapshot/);
  });

  it('refuses groups owned by someone else on the target', async () => {
    await seedSnapshot(dst.ds, { type: 'ct', id: '200', time: T0 - 10, authId: 'other@pbs' });
    const c = ctx();
    await expect(run({ groupFilter: ['group:ct/200'] }, c)).rejects.toThrow(/error/);
    expect(c.warnings.join('\n')).toMatch(/owner check failed/);
  });

  it('resync-corrupt replaces a target snapshot whose verification failed', async () => {
    await run({ groupFilter: ['group:vm/100'] });
    const snap = { type: 'vm' as const, id: '100', time: T0 };
    await dst.ds.updateManifest('', snap, (u) => {
      u.verify_state = { state: 'failed', upid: 'UPID:x' };
    });
    expect((await run({ groupFilter: ['group:vm/100'] })).snapshots).toBe(0);
    const stats = await run({ groupFilter: ['group:vm/100'], resyncCorrupt: true });
    expect(stats.snapshots).toBe(1);
    const info = await dst.ds.snapshotInfo('', snap);
    expect(info.verification).toBeUndefined();
  });
});
