/**
 * The backup client CLI end to end over loopback: a real server in this process, `pbs-client` as
 * a child process. Images, blobs, encryption, incremental uploads, certificate pinning, tickets,
 * management commands and an interrupted session.
 */
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataBlob, parseManifest } from '@pbs/datastore';
import type { TestServer } from './harness.js';
import { ADMIN_PASSWORD, createTestDatastore, request, restLogin, startServer, tempDir } from './fixtures.js';
import { cliRunner, type CliRunner } from './client-cli.js';

const STORE = 'clistore';
const MiB = 1024 * 1024;

interface BackupJson {
  snapshot: string;
  files: { filename: string; 'crypt-mode': string; size: number; csum: string }[];
  archives: {
    archive: string;
    size: number;
    'chunk-count': number;
    'uploaded-chunks': number;
    'reused-chunks': number;
    'zero-chunks': number;
  }[];
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A test tree: nested dirs, files of several sizes, links, a FIFO, odd modes, ns mtimes, owners. */
async function makeTree(root: string): Promise<void> {
  await fs.mkdir(path.join(root, 'etc/deep/er'), { recursive: true });
  await fs.mkdir(path.join(root, 'empty-dir'));
  await fs.writeFile(path.join(root, 'etc/hosts'), '127.0.0.1 localhost\n');
  await fs.writeFile(path.join(root, 'etc/deep/er/big.bin'), randomBytes(3 * MiB + 77));
  await fs.writeFile(path.join(root, 'empty'), '');
  await fs.writeFile(path.join(root, 'grüße-日本.txt'), 'unicode\n');
  for (let i = 0; i < 50; i++)
    await fs.writeFile(path.join(root, `etc/f${i}.txt`), `file ${i}\n`.repeat(i * 100));
  await fs.symlink('etc/hosts', path.join(root, 'hosts-link'));
  await fs.symlink('/nonexistent/target', path.join(root, 'dangling'));
  await fs.link(path.join(root, 'etc/deep/er/big.bin'), path.join(root, 'big-hardlink.bin'));
  execFileSync('mkfifo', [path.join(root, 'fifo')]);
  await fs.chmod(path.join(root, 'etc/hosts'), 0o751);
  await fs.chmod(path.join(root, 'etc/deep'), 0o700);
  execFileSync('touch', [
    '-h',
    '-d',
    '2001-02-03 04:05:06.123456789',
    path.join(root, 'etc/hosts'),
    path.join(root, 'hosts-link'),
  ]);
  if (process.getuid?.() === 0) await fs.lchown(path.join(root, 'etc/f1.txt'), 1234, 5678);
  await fs.writeFile(path.join(root, '.pxarexclude'), '*.skip\n');
  await fs.writeFile(path.join(root, 'etc/junk.skip'), 'excluded');
  await fs.writeFile(path.join(root, 'etc/cli-excluded.tmp'), 'excluded');
}

/** Everything a restore must reproduce, per relative path (directories' mtimes included). */
async function treeState(root: string, skip: (rel: string) => boolean = () => false) {
  const out: Record<string, unknown> = {};
  const inodes = new Map<bigint, string>();
  async function walk(dir: string): Promise<void> {
    for (const name of (await fs.readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      if (skip(rel)) continue;
      const st = await fs.lstat(full, { bigint: true });
      const entry: Record<string, unknown> = {
        mode: st.mode.toString(8),
        uid: st.uid,
        gid: st.gid,
        mtime: st.mtimeNs.toString(),
      };
      if (st.isFile()) {
        entry.sha = sha(await fs.readFile(full));
        if (st.nlink > 1n) entry.linkGroup = inodes.get(st.ino) ?? (inodes.set(st.ino, rel), rel);
      }
      if (st.isSymbolicLink()) entry.target = await fs.readlink(full);
      out[rel] = entry;
      if (st.isDirectory()) await walk(full);
    }
  }
  await walk(root);
  return out;
}

// each step spawns a CLI process (a Node start of ~0.5-1 s); a loaded CI machine needs the headroom
describe('pbs-client against a test server', { timeout: 120_000 }, () => {
  let server: TestServer & { dataDir: string };
  let storeDir: string;
  let work: string;
  let cli: CliRunner;
  let image: Buffer;

  beforeAll(async () => {
    server = await startServer();
    storeDir = await createTestDatastore(server, STORE);
    work = await tempDir('pbs-client-cli-');
    cli = await cliRunner(server, {
      home: path.join(work, 'home'),
      repository: `admin@pbs@127.0.0.1:${server.port}:${STORE}`,
      password: ADMIN_PASSWORD,
    });
    // 4 random chunks, 2 zero chunks, 1 random, and a short random tail
    image = Buffer.concat([randomBytes(4 * 4 * MiB), Buffer.alloc(8 * MiB), randomBytes(4 * MiB + 12345)]);
    await fs.writeFile(path.join(work, 'disk.img'), image);
    await fs.writeFile(path.join(work, 'vm.conf'), 'name: test\nmemory: 512\n');
    await makeTree(path.join(work, 'tree'));
  });

  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    await fs.rm(storeDir, { recursive: true, force: true });
    await fs.rm(work, { recursive: true, force: true });
  });

  const snapshotDir = (snapshot: string) => path.join(storeDir, snapshot);
  const manifestOf = async (snapshot: string) =>
    parseManifest(
      DataBlob.load(
        await fs.readFile(path.join(snapshotDir(snapshot), 'index.json.blob')),
        'manifest',
      ).decode(),
    );

  it('refuses an untrusted certificate and names its fingerprint', async () => {
    const wrong = cli.fingerprint.replace(/^../, cli.fingerprint.startsWith('00') ? '11' : '00');
    for (const fp of [undefined, wrong]) {
      const r = await cli.run(['list'], { PBS_FINGERPRINT: fp });
      expect(r.code).toBe(255);
      expect(r.stderr).toContain('certificate validation failed');
      expect(r.stderr).toContain(cli.fingerprint);
    }
    const ok = await cli.run(['list', '--fingerprint', cli.fingerprint.toUpperCase()], {
      PBS_FINGERPRINT: undefined,
    });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('backs up an image and a config file and restores them byte for byte (sparse)', async () => {
    const result = await cli.json<BackupJson>([
      'backup',
      `disk.img:${path.join(work, 'disk.img')}`,
      `vm.conf:${path.join(work, 'vm.conf')}`,
      '--backup-id',
      'plain',
      '--backup-time',
      '1700000000',
    ]);
    expect(result.snapshot).toBe('host/plain/2023-11-14T22:13:20Z');
    const img = result.archives.find((a) => a.archive === 'disk.img.fidx');
    expect(img).toMatchObject({ size: image.length, 'chunk-count': 8, 'zero-chunks': 2 });
    // the second zero chunk is known from the first: 7 uploads
    expect(img?.['uploaded-chunks']).toBe(7);
    const manifest = await manifestOf(result.snapshot);
    expect(manifest.files.map((f) => f.filename).sort()).toEqual(['disk.img.fidx', 'vm.conf.blob']);
    expect(manifest.signature).toBeNull();

    const target = path.join(work, 'restored.img');
    const r = await cli.run(['restore', result.snapshot, 'disk.img', target]);
    expect(r.code, r.stderr).toBe(0);
    const restored = await fs.readFile(target);
    expect(sha(restored)).toBe(sha(image));
    const blocks = Number(execFileSync('stat', ['-c', '%b', target]).toString()) * 512;
    expect(blocks).toBeLessThanOrEqual(image.length - 8 * MiB + 64 * 1024);

    const conf = await cli.run(['restore', 'host/plain', 'vm.conf', '-']);
    expect(conf.stdout).toBe('name: test\nmemory: 512\n');
    const exists = await cli.run(['restore', result.snapshot, 'disk.img', target]);
    expect(exists.code).toBe(255);
    expect(exists.stderr).toMatch(/unable to create target file/);
  });

  it('uploads only the changed chunks in an incremental backup', async () => {
    const changed = Buffer.from(image);
    randomBytes(1000).copy(changed, 5 * 4 * MiB + 17); // inside the second zero chunk
    randomBytes(10).copy(changed, 7 * 4 * MiB + 3); // inside the short tail
    const file = path.join(work, 'disk2.img');
    await fs.writeFile(file, changed);
    const result = await cli.json<BackupJson>(['backup', `disk.img:${file}`, '--backup-id', 'plain']);
    const img = result.archives[0];
    expect(img).toMatchObject({ 'chunk-count': 8, 'uploaded-chunks': 2, 'reused-chunks': 6 });
    const manifest = await manifestOf(result.snapshot);
    expect(manifest.unprotected.chunk_upload_stats).toMatchObject({ count: 2 });
    const target = path.join(work, 'restored2.img');
    expect((await cli.run(['restore', result.snapshot, 'disk.img', target])).code).toBe(0);
    expect(sha(await fs.readFile(target))).toBe(sha(changed));
  });

  it('encrypts with a key file, signs the manifest, and needs the key to restore', async () => {
    const key = path.join(work, 'enc-key.json');
    const created = await cli.run(['key', 'create', key, '--kdf', 'scrypt'], {
      PBS_ENCRYPTION_PASSWORD: 'key-pass-1',
    });
    expect(created.code, created.stderr).toBe(0);
    const shown = await cli.json<{ kdf: string; fingerprint: string }>(['key', 'show', key]);
    expect(shown.kdf).toBe('scrypt');
    const env = { PBS_ENCRYPTION_PASSWORD: 'key-pass-1' };
    const result = await cli.json<BackupJson>(
      [
        'backup',
        `disk.img:${path.join(work, 'disk.img')}`,
        `vm.conf:${path.join(work, 'vm.conf')}`,
        `root.pxar:${path.join(work, 'tree')}`,
        '--backup-id',
        'enc',
        '--keyfile',
        key,
      ],
      env,
    );
    expect(result.files.every((f) => f['crypt-mode'] === 'encrypt')).toBe(true);
    const manifest = await manifestOf(result.snapshot);
    expect(manifest.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.unprotected['key-fingerprint']).toBe(shown.fingerprint);
    const blob = DataBlob.load(
      await fs.readFile(path.join(snapshotDir(result.snapshot), 'vm.conf.blob')),
      'conf',
    );
    expect(blob.isEncrypted).toBe(true);

    const target = path.join(work, 'enc.img');
    const noKey = await cli.run(['restore', result.snapshot, 'disk.img', target]);
    expect(noKey.code).toBe(255);
    expect(noKey.stderr).toMatch(/missing key/);
    const other = path.join(work, 'other-key.json');
    expect((await cli.run(['key', 'create', other, '--kdf', 'none'])).code).toBe(0);
    const wrongKey = await cli.run(['restore', result.snapshot, 'disk.img', target, '--keyfile', other]);
    expect(wrongKey.stderr).toMatch(/wrong key/);
    const ok = await cli.run(['restore', result.snapshot, 'disk.img', target, '--keyfile', key], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(sha(await fs.readFile(target))).toBe(sha(image));
    const conf = await cli.run(['restore', result.snapshot, 'vm.conf', '-', '--keyfile', key], env);
    expect(conf.stdout).toBe('name: test\nmemory: 512\n');
    const treeTarget = path.join(work, 'enc-tree');
    const tree = await cli.run(['restore', result.snapshot, 'root.pxar', treeTarget, '--keyfile', key], env);
    expect(tree.code, tree.stderr).toBe(0);
    expect(await treeState(treeTarget)).toEqual(
      await treeState(path.join(work, 'tree'), (rel) => rel.endsWith('.skip')),
    );
    const dump = await cli.run(['catalog', 'dump', result.snapshot, '--keyfile', key], env);
    expect(dump.stdout).toContain('f "/root.pxar.didx/empty" 0');
    const badPass = await cli.run(['restore', result.snapshot, 'vm.conf', '-', '--keyfile', key], {
      PBS_ENCRYPTION_PASSWORD: 'wrong-pass',
    });
    expect(badPass.stderr).toMatch(/unable to decrypt key/);
  });

  it('signs without encrypting in sign-only mode', async () => {
    const key = path.join(work, 'sign-key.json');
    expect((await cli.run(['key', 'create', key, '--kdf', 'none'])).code).toBe(0);
    const result = await cli.json<BackupJson>([
      'backup',
      `vm.conf:${path.join(work, 'vm.conf')}`,
      '--backup-id',
      'signed',
      '--keyfile',
      key,
      '--crypt-mode',
      'sign-only',
    ]);
    const manifest = await manifestOf(result.snapshot);
    expect(manifest.files[0]?.cryptMode).toBe('sign-only');
    expect(manifest.signature).toMatch(/^[0-9a-f]{64}$/);
    const blob = DataBlob.load(
      await fs.readFile(path.join(snapshotDir(result.snapshot), 'vm.conf.blob')),
      'conf',
    );
    expect(blob.isEncrypted).toBe(false);
  });

  it('lists groups and snapshots and manages notes, protection and forget', async () => {
    const groups = await cli.json<{ 'backup-id': string; 'backup-count': number }[]>(['list']);
    expect(groups.find((g) => g['backup-id'] === 'plain')?.['backup-count']).toBe(2);
    const text = await cli.run(['snapshot', 'list', 'host/plain']);
    expect(text.stdout).toContain('host/plain/2023-11-14T22:13:20Z');
    expect(text.stdout).toContain('disk.img index.json vm.conf');
    const snap = 'host/plain/2023-11-14T22:13:20Z';
    const files = await cli.json<{ filename: string }[]>(['snapshot', 'files', snap]);
    expect(files.map((f) => f.filename)).toContain('disk.img.fidx');
    expect((await cli.run(['snapshot', 'notes', 'update', snap, 'first line\nsecond'])).code).toBe(0);
    expect((await cli.run(['snapshot', 'notes', 'show', snap])).stdout).toBe('first line\nsecond\n');
    expect((await cli.run(['snapshot', 'protected', 'update', snap, 'true'])).code).toBe(0);
    expect(await cli.json(['snapshot', 'protected', 'show', snap])).toEqual({ protected: true });
    const refused = await cli.run(['snapshot', 'forget', snap]);
    expect(refused.code).toBe(255);
    expect((await cli.run(['snapshot', 'protected', 'update', snap, 'false'])).code).toBe(0);
    expect((await cli.run(['snapshot', 'forget', snap])).code).toBe(0);
    const after = await cli.json<unknown[]>(['snapshot', 'list', 'host/plain']);
    expect(after).toHaveLength(1);
    const status = await cli.json<{ total: number }>(['status']);
    expect(status.total).toBeGreaterThan(0);
  });

  it('logs in once and reuses the cached ticket; logout forgets it', async () => {
    const login = await cli.run(['login']);
    expect(login.code, login.stderr).toBe(0);
    const tickets = JSON.parse(
      await fs.readFile(path.join(cli.home, 'run/proxmox-backup/tickets'), 'utf8'),
    ) as Record<string, Record<string, unknown>>;
    expect(Object.keys(tickets['127.0.0.1'] ?? {})).toEqual(['admin@pbs']);
    const cached = await cli.run(['list'], { PBS_PASSWORD: undefined, PBS_FINGERPRINT: undefined });
    expect(cached.code, cached.stderr).toBe(0);
    expect((await cli.run(['logout'])).code).toBe(0);
    const after = await cli.run(['list'], { PBS_PASSWORD: undefined });
    expect(after.code).toBe(255);
    expect(after.stderr).toMatch(/no password/);
  });

  it('backs up a directory as pxar with a catalog and restores it with its metadata', async () => {
    const tree = path.join(work, 'tree');
    const result = await cli.json<BackupJson>([
      'backup',
      `root.pxar:${tree}`,
      '--backup-id',
      'tree',
      '--exclude',
      '*.tmp',
      '--chunk-size',
      '64',
    ]);
    expect(result.files.map((f) => f.filename)).toEqual(['root.pxar.didx', 'catalog.pcat1.didx']);
    const dump = await cli.run(['catalog', 'dump', result.snapshot]);
    expect(dump.code, dump.stderr).toBe(0);
    expect(dump.stdout).toContain('f "/root.pxar.didx/etc/hosts" 20 2001-02-03T04:05:06Z');
    expect(dump.stdout).toContain('h "/root.pxar.didx/etc/deep/er/big.bin"');
    expect(dump.stdout).not.toContain('junk.skip');
    expect(dump.stdout).not.toContain('cli-excluded.tmp');

    const target = path.join(work, 'tree-restored');
    const r = await cli.run(['restore', result.snapshot, 'root.pxar', target]);
    expect(r.code, r.stderr).toBe(0);
    const excluded = (rel: string) => rel.endsWith('.skip') || rel.endsWith('.tmp');
    // the CLI exclude is recorded as .pxarexclude-cli in the archive, as PBS does
    expect(await fs.readFile(path.join(target, '.pxarexclude-cli'), 'utf8')).toBe('*.tmp\n');
    expect(await treeState(target, (rel) => rel === '.pxarexclude-cli')).toEqual(
      await treeState(tree, excluded),
    );
    const rootSt = await fs.stat(target, { bigint: true });
    expect(rootSt.mtimeNs).toBe((await fs.stat(tree, { bigint: true })).mtimeNs);

    // partial restore by pattern
    const partial = path.join(work, 'tree-partial');
    const p = await cli.run(['restore', result.snapshot, 'root.pxar', partial, '--pattern', 'etc/f1*.txt']);
    expect(p.code, p.stderr).toBe(0);
    const names = (await fs.readdir(path.join(partial, 'etc'))).sort();
    expect(names).toEqual(['f1.txt', ...Array.from({ length: 10 }, (_, i) => `f1${i}.txt`)].sort());
    expect(await fs.readdir(partial)).toEqual(['etc']);

    // incremental: one changed file re-uploads little, the rest is known from the previous index
    await fs.appendFile(path.join(tree, 'etc/f7.txt'), 'changed\n');
    const second = await cli.json<BackupJson>([
      'backup',
      `root.pxar:${tree}`,
      '--backup-id',
      'tree',
      '--exclude',
      '*.tmp',
      '--chunk-size',
      '64',
    ]);
    const archive = second.archives.find((a) => a.archive === 'root.pxar.didx');
    expect(archive?.['reused-chunks']).toBeGreaterThan(archive ? archive['chunk-count'] / 2 : 0);
    expect(archive?.['uploaded-chunks']).toBeLessThanOrEqual(4);
  });

  it('writes split archives in data mode and restores them', async () => {
    const tree = path.join(work, 'tree');
    const result = await cli.json<BackupJson>([
      'backup',
      `root.pxar:${tree}`,
      '--backup-id',
      'split',
      '--change-detection-mode',
      'data',
    ]);
    expect(result.files.map((f) => f.filename)).toEqual(['root.ppxar.didx', 'root.mpxar.didx']);
    const target = path.join(work, 'split-restored');
    const r = await cli.run(['restore', 'host/split', 'root.pxar', target]);
    expect(r.code, r.stderr).toBe(0);
    const excluded = (rel: string) => rel.endsWith('.skip');
    expect(await treeState(target)).toEqual(await treeState(tree, excluded));
    const dump = await cli.run(['catalog', 'dump', 'host/split']);
    expect(dump.stdout).toContain('l "/root.pxar.didx/hosts-link"');
  });

  it('authenticates with an API token and its secret', async () => {
    const admin = await restLogin(server, 'admin@pbs', ADMIN_PASSWORD);
    const ca = server.services.certificate.cert;
    const created = await request(server.url, 'POST', '/api2/json/access/users/admin@pbs/token/cli', {
      headers: admin.write,
      body: {},
      ca,
    });
    expect(created.status, created.text).toBe(200);
    const { tokenid, value } = created.json<{ data: { tokenid: string; value: string } }>().data;
    const acl = await request(server.url, 'PUT', '/api2/json/access/acl', {
      headers: admin.write,
      body: { path: `/datastore/${STORE}`, role: 'DatastoreBackup', 'auth-id': tokenid },
      ca,
    });
    expect(acl.status, acl.text).toBe(200);
    const env = { PBS_REPOSITORY: `${tokenid}@127.0.0.1:${server.port}:${STORE}`, PBS_PASSWORD: value };
    const backup = await cli.run(
      ['backup', `vm.conf:${path.join(work, 'vm.conf')}`, '--backup-id', 'token'],
      env,
    );
    expect(backup.code, backup.stderr).toBe(0);
    const conf = await cli.run(['restore', 'host/token', 'vm.conf', '-'], env);
    expect(conf.stdout).toBe('name: test\nmemory: 512\n');
    const wrong = await cli.run(['list'], { ...env, PBS_PASSWORD: 'not-the-secret' });
    expect(wrong.code).toBe(255);
    // a token never uses or stores a ticket
    const tickets = await fs
      .readFile(path.join(cli.home, 'run/proxmox-backup/tickets'), 'utf8')
      .catch(() => '');
    expect(tickets).not.toContain('admin@pbs!cli');
  });

  it('backs up into a namespace and reads it back from there', async () => {
    const admin = await restLogin(server, 'admin@pbs', ADMIN_PASSWORD);
    const ns = await request(server.url, 'POST', `/api2/json/admin/datastore/${STORE}/namespace`, {
      headers: admin.write,
      body: { name: 'team' },
      ca: server.services.certificate.cert,
    });
    expect(ns.status, ns.text).toBe(200);
    const r = await cli.run([
      'backup',
      `vm.conf:${path.join(work, 'vm.conf')}`,
      '--backup-id',
      'nsd',
      '--ns',
      'team',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Starting backup: [team]:host/nsd/');
    expect((await cli.run(['snapshot', 'list', 'host/nsd'])).stderr).toMatch(/not found/);
    expect(
      await cli.json<unknown[]>(['snapshot', 'list', 'host/nsd'], { PBS_NAMESPACE: 'team' }),
    ).toHaveLength(1);
    const conf = await cli.run(['restore', 'host/nsd', 'vm.conf', '-', '--ns', 'team']);
    expect(conf.stdout).toBe('name: test\nmemory: 512\n');
    expect(await fs.readdir(path.join(storeDir, 'ns', 'team', 'host'))).toEqual(['nsd']);
  });

  it('prunes a group and runs garbage collection', async () => {
    const dry = await cli.json<{ keep: boolean }[]>(['prune', 'host/tree', '--keep-last', '1', '--dry-run']);
    expect(dry.map((s) => s.keep).sort()).toEqual([false, true]);
    expect(await cli.json<unknown[]>(['snapshot', 'list', 'host/tree'])).toHaveLength(2);
    const pruned = await cli.run(['prune', 'host/tree', '--keep-last', '1']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/remove/);
    expect(await cli.json<unknown[]>(['snapshot', 'list', 'host/tree'])).toHaveLength(1);
    const gc = await cli.run(['garbage-collect']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(gc.stderr).toMatch(/TASK OK/);
    const tasks = await cli.json<{ upid: string }[]>(['task', 'list', '--all', '--limit', '20']);
    const gcTask = tasks.find((t) => t.upid.includes(':garbage_collection:'));
    expect(gcTask).toBeDefined();
    const taskLog = await cli.run(['task', 'log', gcTask?.upid ?? '']);
    expect(taskLog.stdout).toMatch(/TASK OK/);
  });

  it('leaves no snapshot when the client dies during the upload', async () => {
    const big = randomBytes(96 * MiB);
    const file = path.join(work, 'big.img');
    await fs.writeFile(file, big);
    const chunkFile = (i: number) => {
      const digest = sha(big.subarray(i * 4 * MiB, (i + 1) * 4 * MiB));
      return path.join(storeDir, '.chunks', digest.slice(0, 4), digest);
    };
    const child = cli.spawn(['backup', `disk.img:${file}`, '--backup-id', 'killed', '--concurrency', '1']);
    const exited = new Promise((resolve) => child.on('close', resolve));
    let uploading = false;
    for (let i = 0; i < 600 && !uploading; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      uploading = await fs.stat(chunkFile(1)).then(
        () => true,
        () => false,
      );
    }
    child.kill('SIGKILL');
    await exited;
    expect(uploading).toBe(true);
    // the last chunk was never sent
    await expect(fs.stat(chunkFile(23))).rejects.toThrow();
    const groupDir = path.join(storeDir, 'host', 'killed');
    let left: string[] = [];
    for (let i = 0; i < 50; i++) {
      left = await fs.readdir(groupDir).catch(() => []);
      if (left.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(left).toEqual([]);
    expect(await cli.json<unknown[]>(['snapshot', 'list', 'host/killed']).catch(() => [])).toEqual([]);
  });
});
