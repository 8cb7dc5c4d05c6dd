/**
 * What a restore cannot do is reported, never dropped: each case builds a small archive with the
 * encoder and checks the RestoreProblem list.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getProjectId } from '@pbs/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PxarDecoder } from '../decoder/decoder.js';
import { PxarEncoder } from '../encoder/encoder.js';
import { mode } from '../format/constants.js';
import { makeMetadata, type Metadata } from '../format/types.js';
import { extractArchive, type ExtractOptions, type ExtractResult } from './extract.js';

let tmp: string;
let counter = 0;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pxar-problems-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const dirMeta = makeMetadata({ mode: mode.IFDIR | 0o755, mtime: { secs: 1_700_000_000, nanos: 0 } });
const fileMeta = (extra: Partial<Metadata> = {}, m = 0o644): Metadata =>
  makeMetadata({ mode: mode.IFREG | m, mtime: { secs: 1_700_000_001, nanos: 5 } }, extra);

async function archive(build: (enc: PxarEncoder) => Promise<void>): Promise<Buffer> {
  const out: Buffer[] = [];
  const enc = await PxarEncoder.create((b) => void out.push(b), dirMeta);
  await build(enc);
  await enc.finishDirectory();
  await enc.close();
  return Buffer.concat(out);
}

async function restore(
  buf: Buffer,
  opts: ExtractOptions = {},
  dir?: string,
): Promise<{ dir: string; result: ExtractResult }> {
  const target = dir ?? path.join(tmp, `t${counter++}`);
  return { dir: target, result: await extractArchive(new PxarDecoder([buf]), target, opts) };
}

describe('restore problems are reported', () => {
  it('an existing file is a problem unless overwriting is allowed', async () => {
    const buf = await archive((enc) =>
      enc.addFile(fileMeta(), 'f', 3, Buffer.from('new')).then(() => undefined),
    );
    const dir = path.join(tmp, 'existing');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'f'), 'old');
    const first = await restore(buf, {}, dir);
    expect(first.result.problems).toMatchObject([{ path: '/f', what: 'file', code: 'EEXIST' }]);
    expect(fs.readFileSync(path.join(dir, 'f'), 'utf8')).toBe('old');
    const second = await restore(buf, { overwrite: { files: true } }, dir);
    expect(second.result.problems).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'f'), 'utf8')).toBe('new');
  });

  it('special files that are not created are reported', async () => {
    const buf = await archive(async (enc) => {
      await enc.addFifo(makeMetadata({ mode: mode.IFIFO | 0o600 }), 'fifo');
      await enc.addDevice(makeMetadata({ mode: mode.IFCHR | 0o600 }), 'null', { major: 1, minor: 3 });
    });
    const { dir, result } = await restore(buf, { specialFiles: false });
    expect(result.problems.map((p) => [p.path, p.what])).toEqual([
      ['/fifo', 'fifo'],
      ['/null', 'device node'],
    ]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('ownership that is not restored is summarised', async () => {
    const buf = await archive((enc) =>
      enc.addFile(fileMeta(), 'f', 0, Buffer.alloc(0)).then(() => undefined),
    );
    const meta = fileMeta();
    meta.stat.uid = 4242;
    const owned = await archive((enc) => enc.addFile(meta, 'g', 0, Buffer.alloc(0)).then(() => undefined));
    expect((await restore(buf, { features: { owner: false } })).result.problems).toEqual([]);
    const { result } = await restore(owned, { features: { owner: false } });
    expect(result.problems).toMatchObject([{ path: '/', what: 'owner' }]);
    expect(result.problems[0]?.message).toMatch(/1 entries keep the restoring user/);
  });

  it('unsafe hardlink targets, invalid xattr names and FAT attributes are refused and reported', async () => {
    const buf = await archive(async (enc) => {
      const off = await enc.addFile(
        fileMeta({ xattrs: [{ name: Buffer.from('system.evil'), value: Buffer.from('x') }] }),
        'a',
        1,
        Buffer.from('a'),
      );
      await enc.addHardlink('b', '../../etc/passwd', off);
      const fat = fileMeta();
      fat.stat.flags = 0x2000; // WITH_FLAG_HIDDEN
      await enc.addFile(fat, 'c', 0, Buffer.alloc(0));
    });
    const { dir, result } = await restore(buf);
    expect(result.problems.map((p) => [p.path, p.what])).toEqual([
      ['/a', 'xattr system.evil'],
      ['/b', 'hardlink'],
      ['/c', 'FAT attributes'],
    ]);
    expect(fs.existsSync(path.join(dir, 'b'))).toBe(false);
  });

  it('a quota project id is restored or reported', async () => {
    const buf = await archive((enc) =>
      enc.addFile(fileMeta({ quotaProjectId: 77 }), 'p', 0, Buffer.alloc(0)).then(() => undefined),
    );
    const { dir, result } = await restore(buf);
    if (result.problems.length === 0) {
      expect(getProjectId(path.join(dir, 'p'))).toBe(77);
    } else {
      expect(result.problems).toMatchObject([{ path: '/p', what: 'quota project id' }]);
    }
  });

  it('failFast turns the first problem into an error', async () => {
    const buf = await archive((enc) => enc.addFifo(makeMetadata({ mode: mode.IFIFO | 0o600 }), 'fifo'));
    await expect(restore(buf, { specialFiles: false, failFast: true })).rejects.toThrow(/restore of \/fifo/);
  });

  it('accepts existing directories only when allowed, and never a symlink in their place', async () => {
    const buf = await archive(async (enc) => {
      await enc.createDirectory('d', dirMeta);
      await enc.addFile(fileMeta(), 'f', 1, Buffer.from('x'));
      await enc.finishDirectory();
    });
    const dir = path.join(tmp, 'existing-dirs');
    fs.mkdirSync(path.join(dir, 'd'), { recursive: true });
    const refused = await restore(buf, {}, dir);
    expect(refused.result.problems.map((p) => [p.path, p.what, p.code])).toEqual([
      ['/d', 'directory', 'EEXIST'],
      ['/d/f', 'file', 'EEXIST'],
    ]);
    const allowed = await restore(buf, { allowExistingDirs: true }, dir);
    expect(allowed.result.problems).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'd/f'), 'utf8')).toBe('x');
    const trap = path.join(tmp, 'symlink-trap');
    fs.mkdirSync(trap);
    fs.mkdirSync(path.join(tmp, 'elsewhere'));
    fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(trap, 'd'));
    const tricked = await restore(buf, { allowExistingDirs: true }, trap);
    expect(tricked.result.problems[0]).toMatchObject({ path: '/d', what: 'directory', code: 'EEXIST' });
    expect(fs.readdirSync(path.join(tmp, 'elsewhere'))).toEqual([]);
  });

  it('applies the archive root metadata to the target directory', async () => {
    const buf = await archive(() => Promise.resolve());
    const { dir } = await restore(buf);
    const st = fs.statSync(dir, { bigint: true });
    expect(st.mode & 0o7777n).toBe(0o755n);
    expect(st.mtimeNs).toBe(1_700_000_000_000_000_000n);
  });
});
