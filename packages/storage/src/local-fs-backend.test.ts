import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { describeStorageBackendContract, makeScratchDir, ManualClock } from './testing/index.js';
import { LocalFsBackend } from './local-fs-backend.js';

describeStorageBackendContract('LocalFsBackend', async ({ clock }) => {
  const base = await makeScratchDir('pbs-storage-');
  return {
    backend: new LocalFsBackend({ name: 'contract', base, clock, syncLevel: 'filesystem' }),
    cleanup: () => fsp.rm(base, { recursive: true, force: true }),
  };
});

const DIGEST = '0877f2c915086977222f0f3900b67c702ea391580057fb9e9edef78c31b5f8d4';

describe('LocalFsBackend on disk', () => {
  let base: string;

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'pbs-localfs-'));
  });

  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('places chunks under .chunks/<first 4 hex>/<digest>', async () => {
    const backend = new LocalFsBackend({ name: 's', base });
    await backend.writeChunk(DIGEST, Buffer.from('x'));
    expect(fs.readFileSync(path.join(base, '.chunks', '0877', DIGEST), 'utf8')).toBe('x');
  });

  it('never shows a partial chunk under its final name: the complete temp file is renamed', async () => {
    const backend = new LocalFsBackend({ name: 's', base, syncLevel: 'file' });
    const data = Buffer.alloc(1 << 20, 7);
    const seen: { finalExists: boolean; tempSize: number; tempName: string }[] = [];
    const rename = fsp.rename.bind(fsp);
    vi.spyOn(fsp, 'rename').mockImplementation(async (from, to) => {
      seen.push({
        finalExists: fs.existsSync(to),
        tempSize: fs.statSync(from).size,
        tempName: path.basename(String(from)),
      });
      return rename(from, to);
    });
    await backend.writeChunk(DIGEST, data);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ finalExists: false, tempSize: data.length });
    expect(seen[0]?.tempName).toMatch(new RegExp(`^${DIGEST}\\.tmp_[A-Za-z0-9]{6}$`));
  });

  it('leaves neither the chunk nor a temp file when the rename fails', async () => {
    const backend = new LocalFsBackend({ name: 's', base });
    vi.spyOn(fsp, 'rename').mockRejectedValue(Object.assign(new Error('EIO'), { code: 'EIO' }));
    await expect(backend.writeChunk(DIGEST, Buffer.from('x'))).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
    });
    expect(fs.readdirSync(path.join(base, '.chunks', '0877'))).toEqual([]);
  });

  it('names temp files of content like PBS: the last extension replaced by tmp_XXXXXX', async () => {
    const backend = new LocalFsBackend({ name: 's', base });
    const temps: string[] = [];
    const rename = fsp.rename.bind(fsp);
    vi.spyOn(fsp, 'rename').mockImplementation(async (from, to) => {
      temps.push(path.basename(String(from)));
      return rename(from, to);
    });
    await backend.writeFile('index.json.blob', 'x');
    await backend.writeFile('.gc-status', 'x');
    expect(temps[0]).toMatch(/^index\.json\.tmp_[A-Za-z0-9]{6}$/);
    expect(temps[1]).toMatch(/^\.gc-status\.tmp_[A-Za-z0-9]{6}$/);
  });

  it('touches with microsecond precision and keeps mtime', async () => {
    const clock = new ManualClock(1_700_000_000_123.456);
    const backend = new LocalFsBackend({ name: 's', base, clock });
    await backend.writeChunk(DIGEST, Buffer.from('x'));
    const file = path.join(base, '.chunks', '0877', DIGEST);
    const before = fs.statSync(file, { bigint: true });
    clock.set(1_700_000_500_987.654);
    await backend.touchChunk(DIGEST);
    const after = fs.statSync(file, { bigint: true });
    // a double holds epoch seconds to ~0.24 µs: exact to the microsecond, give or take one
    expect(Math.abs(Number(after.atimeNs / 1000n) - 1_700_000_500_987_654)).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(after.mtimeNs - before.mtimeNs))).toBeLessThan(1000);
  });

  it('skips foreign names and non-regular files when listing chunks', async () => {
    const backend = new LocalFsBackend({ name: 's', base });
    await backend.writeChunk(DIGEST, Buffer.from('x'));
    const dir = path.join(base, '.chunks', '0877');
    fs.writeFileSync(path.join(dir, `${DIGEST}.tmp_abcdef`), 'temp');
    fs.writeFileSync(path.join(dir, 'README'), 'foreign');
    fs.mkdirSync(path.join(dir, DIGEST.replace(/.$/, '0')));
    const listed = [];
    for await (const e of backend.listChunkFiles()) listed.push(e.name);
    expect(listed).toEqual([DIGEST]);
  });

  it('creates the PBS layout (65536 dirs 0750, empty .lock) and completes it keeping .lock', async () => {
    const scratch = await makeScratchDir('pbs-layout-');
    onTestFinished(() => fs.rmSync(scratch, { recursive: true, force: true }));
    const backend = new LocalFsBackend({ name: 's', base: scratch });
    const old = process.umask(0o077);
    try {
      await backend.initChunkStore();
    } finally {
      process.umask(old);
    }
    const dirs = fs.readdirSync(path.join(scratch, '.chunks')).sort();
    expect(dirs).toHaveLength(65536);
    expect([dirs[0], dirs[0xabcd], dirs.at(-1)]).toEqual(['0000', 'abcd', 'ffff']);
    expect(fs.statSync(path.join(scratch, '.chunks')).mode & 0o777).toBe(0o750);
    expect(fs.statSync(path.join(scratch, '.chunks', 'abcd')).mode & 0o777).toBe(0o750);
    expect(fs.statSync(path.join(scratch, '.lock')).size).toBe(0);

    // a completed layout keeps the .lock inode: other processes may hold locks on it
    const ino = fs.statSync(path.join(scratch, '.lock')).ino;
    fs.rmdirSync(path.join(scratch, '.chunks', '1234'));
    await backend.initChunkStore({ existingOk: true });
    expect(fs.statSync(path.join(scratch, '.lock')).ino).toBe(ino);
    expect(fs.existsSync(path.join(scratch, '.chunks', '1234'))).toBe(true);
  }, 120_000);

  it('refuses a relative base path', () => {
    expect(() => new LocalFsBackend({ name: 's', base: 'relative/dir' })).toThrow(/absolute/);
  });

  it('translates a file where a directory is expected into NOT_FOUND', async () => {
    const backend = new LocalFsBackend({ name: 's', base });
    fs.writeFileSync(path.join(base, 'vm'), 'not a dir');
    await expect(backend.readFile('vm/100/owner')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(backend.removeDir('vm')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
