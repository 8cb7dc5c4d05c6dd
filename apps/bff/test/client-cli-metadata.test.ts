/**
 * `pbs-client backup --change-detection-mode metadata` end to end over loopback: the second
 * backup of an unchanged tree reads (almost) no file content and uploads (almost) no payload
 * chunk, a changed file is read again, and the restore of the newest snapshot is byte-identical
 * with its metadata; the snapshot can be browsed through its catalog.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './harness.js';
import { ADMIN_PASSWORD, createTestDatastore, startServer, tempDir } from './fixtures.js';
import { cliRunner, type CliRunner } from './client-cli.js';

const STORE = 'metastore';

interface BackupJson {
  archives: { archive: string; 'chunk-count': number; 'uploaded-chunks': number; 'reused-chunks': number }[];
}

async function makeTree(root: string): Promise<void> {
  await fs.mkdir(path.join(root, 'a/b'), { recursive: true });
  await fs.mkdir(path.join(root, 'more'));
  await fs.writeFile(path.join(root, 'a/b/big.bin'), randomBytes(1024 * 1024 + 7));
  await fs.link(path.join(root, 'a/b/big.bin'), path.join(root, 'a/hardlink.bin'));
  await fs.symlink('b/big.bin', path.join(root, 'a/link'));
  await fs.writeFile(path.join(root, 'empty'), '');
  for (let i = 0; i < 300; i++)
    await fs.writeFile(
      path.join(root, `more/m${String(i).padStart(3, '0')}`),
      randomBytes(5000).toString('hex'),
    );
  await fs.chmod(path.join(root, 'more/m007'), 0o640);
  await fs.utimes(
    path.join(root, 'more/m008'),
    new Date('2001-02-03T04:05:06Z'),
    new Date('2001-02-03T04:05:06Z'),
  );
}

async function treeState(root: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  async function walk(dir: string): Promise<void> {
    for (const name of (await fs.readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const st = await fs.lstat(full, { bigint: true });
      const entry: Record<string, unknown> = { mode: st.mode.toString(8), mtime: st.mtimeNs.toString() };
      if (st.isFile()) {
        entry.sha = createHash('sha256')
          .update(await fs.readFile(full))
          .digest('hex');
        entry.nlink = st.nlink.toString();
      }
      if (st.isSymbolicLink()) entry.target = await fs.readlink(full);
      out[path.relative(root, full)] = entry;
      if (st.isDirectory()) await walk(full);
    }
  }
  await walk(root);
  return out;
}

describe('pbs-client metadata change detection', () => {
  let server: TestServer & { dataDir: string };
  let storeDir: string;
  let work: string;
  let cli: CliRunner;

  beforeAll(async () => {
    server = await startServer();
    storeDir = await createTestDatastore(server, STORE);
    work = await tempDir('pbs-client-meta-');
    cli = await cliRunner(server, {
      home: path.join(work, 'home'),
      repository: `admin@pbs@127.0.0.1:${server.port}:${STORE}`,
      password: ADMIN_PASSWORD,
    });
    await makeTree(path.join(work, 'tree'));
  });

  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    await fs.rm(storeDir, { recursive: true, force: true });
    await fs.rm(work, { recursive: true, force: true });
  });

  it('reuses unchanged files, reads changed ones, restores byte-identical and browses', async () => {
    const tree = path.join(work, 'tree');
    let time = 1_700_000_000;
    const backup = async () => {
      const r = await cli.run([
        'backup',
        `root.pxar:${tree}`,
        '--backup-id',
        'meta',
        '--backup-time',
        String((time += 100)),
        '--change-detection-mode',
        'metadata',
        // small chunks: a run of unchanged files then outweighs the padding of its end chunks
        '--chunk-size',
        '64',
        '--output-format',
        'json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout) as BackupJson;
      const count = (what: RegExp) => Number(what.exec(r.stderr)?.[1] ?? NaN);
      return {
        files: json.archives.map((a) => a.archive),
        payload: json.archives.find((a) => a.archive === 'root.ppxar.didx'),
        log: r.stderr,
        reused: count(/ - (\d+) unchanged, reusable files/),
        reencoded: count(/ - (\d+) changed or non-reusable files/),
      };
    };
    const first = await backup();
    expect(first.log).toMatch(/No previous manifest available/);
    expect(first.files).toEqual(expect.arrayContaining(['root.mpxar.didx', 'root.ppxar.didx']));
    expect(first.payload?.['uploaded-chunks']).toBeGreaterThan(0);

    // nothing changed: all but the hardlinked file (always re-encoded) are references
    const second = await backup();
    expect(second.log).toMatch(/Using previous index as metadata reference for 'root.mpxar.didx'/);
    expect(second.reused, second.log).toBeGreaterThanOrEqual(300);
    expect(second.reencoded, second.log).toBeLessThanOrEqual(2);
    expect(second.payload?.['reused-chunks']).toBeGreaterThan(0);
    expect(second.payload?.['uploaded-chunks']).toBeLessThanOrEqual(2);

    // one file changed: it is read again, the others still are not
    await fs.appendFile(path.join(tree, 'more/m100'), 'changed');
    const third = await backup();
    expect(third.reencoded, third.log).toBeGreaterThanOrEqual(2);
    expect(third.reused, third.log).toBeGreaterThanOrEqual(250);
    expect(third.payload?.['uploaded-chunks']).toBeLessThanOrEqual(6);

    const target = path.join(work, 'restored');
    const r = await cli.run(['restore', 'host/meta', 'root.pxar', target]);
    expect(r.code, r.stderr).toBe(0);
    expect(await treeState(target)).toEqual(await treeState(tree));
    const dump = await cli.run(['catalog', 'dump', 'host/meta']);
    expect(dump.code, dump.stderr).toBe(0);
    expect(dump.stdout).toContain('"/root.pxar.didx/more/m100"');
  }, 180_000); // five CLI runs through tsx on a shared 2-core machine

  it('reuses the payload of an encrypted previous snapshot with the same key', async () => {
    const key = path.join(work, 'meta-key.json');
    const created = await cli.run(['key', 'create', key, '--kdf', 'none']);
    expect(created.code, created.stderr).toBe(0);
    const tree = path.join(work, 'tree');
    const backup = async (time: number) => {
      const r = await cli.run([
        'backup',
        `root.pxar:${tree}`,
        '--backup-id',
        'meta-enc',
        '--backup-time',
        String(time),
        '--change-detection-mode',
        'metadata',
        '--chunk-size',
        '64',
        '--keyfile',
        key,
      ]);
      expect(r.code, r.stderr).toBe(0);
      return r.stderr;
    };
    await backup(1_700_000_000);
    const second = await backup(1_700_000_100);
    expect(second).toMatch(/Using previous index as metadata reference/);
    expect(Number(/ - (\d+) unchanged, reusable files/.exec(second)?.[1])).toBeGreaterThanOrEqual(300);
    const target = path.join(work, 'restored-enc');
    const r = await cli.run(['restore', 'host/meta-enc', 'root.pxar', target, '--keyfile', key]);
    expect(r.code, r.stderr).toBe(0);
    expect(await treeState(target)).toEqual(await treeState(tree));
  }, 180_000);
});
