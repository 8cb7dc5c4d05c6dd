/**
 * Round trips through real directories (needs root for owners, devices, trusted xattrs and
 * capabilities): encode → decode → extract must reproduce every archived property, and encoding
 * the restored tree must give the same archive bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  S_IFBLK,
  S_IFCHR,
  S_IFIFO,
  S_IFSOCK,
  getInodeFlags,
  lsetxattr,
  mknod,
  setInodeFlags,
  utimensat,
} from '@pbs/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PxarDecoder } from '../decoder/decoder.js';
import { snapshotTree, type SnapshotEntry } from '../testing/tree-snapshot.js';
import { streamA } from '../testing/stream-a.js';
import { encodeDirectory, type EncodeDirectoryOptions } from './encode-directory.js';
import { extractArchive, type ExtractOptions, type ExtractResult } from './extract.js';
import { XATTR_ACL_ACCESS, XATTR_ACL_DEFAULT, buildPosixAcl, parseAclText } from './posix-acl.js';

const isRoot = process.getuid?.() === 0;
let tmp: string;
let src: string;

/** security.capability v2 granting cap_net_bind_service (effective). */
const FCAPS = Buffer.from([0x01, 0, 0, 0x02, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const NON_UTF8 = Buffer.from([0x66, 0xff, 0x6f]);

function buildRichTree(root: string): void {
  const p = (rel: string): string => path.join(root, rel);
  fs.mkdirSync(root);
  fs.mkdirSync(p('dir/nested/deep'), { recursive: true });
  fs.mkdirSync(p('empty-dir'));
  fs.writeFileSync(p('a.txt'), 'hello\n');
  fs.writeFileSync(p('dir/nested/deep/file'), 'deep\n');
  fs.writeFileSync(p('dir/x.txt'), 'x\n');
  fs.writeFileSync(p('setuid'), '#!/bin/sh\n');
  fs.writeFileSync(p('caps'), 'caps\n');
  fs.writeFileSync(p('flags'), 'noatime\n');
  fs.writeFileSync(p('empty'), '');
  fs.writeFileSync(p('big.bin'), streamA(0, 3 * 1024 * 1024 + 17));
  fs.writeFileSync(Buffer.concat([Buffer.from(`${root}/`), NON_UTF8]), 'raw name\n');
  const sparse = fs.openSync(p('sparse.bin'), 'w');
  fs.writeSync(sparse, Buffer.from('start'), 0, 5, 0);
  fs.writeSync(sparse, streamA(0, 10_000), 0, 10_000, 5 * 1024 * 1024);
  fs.ftruncateSync(sparse, 10 * 1024 * 1024);
  fs.closeSync(sparse);
  fs.writeFileSync(p('link1'), 'shared inode\n');
  fs.linkSync(p('link1'), p('dir/link2'));
  fs.linkSync(p('link1'), p('link3'));
  fs.symlinkSync('a.txt', p('sym'));
  fs.symlinkSync('/nonexistent/target', p('sym-dangling'));
  mknod(p('fifo'), S_IFIFO | 0o600);
  mknod(p('sock'), S_IFSOCK | 0o755);
  mknod(p('chr'), S_IFCHR | 0o620, 1, 5);
  mknod(p('blk'), S_IFBLK | 0o660, 7, 200);
  fs.writeFileSync(p('acl-file'), 'acl\n');
  lsetxattr(p('a.txt'), 'user.comment', Buffer.from('a comment'));
  lsetxattr(p('a.txt'), 'trusted.secret', Buffer.from([0, 1, 2]));
  lsetxattr(p('a.txt'), 'security.NTACL', Buffer.from('ntacl'));
  lsetxattr(p('dir'), 'user.dir', Buffer.from('on a directory'));
  lsetxattr(
    p('acl-file'),
    XATTR_ACL_ACCESS,
    buildPosixAcl(parseAclText('u::rw-,u:1001:r--,g::r--,g:1002:rw-,m::rw-,o::---')),
  );
  lsetxattr(
    p('dir'),
    XATTR_ACL_DEFAULT,
    buildPosixAcl(parseAclText('u::rwx,u:1001:r-x,g::r-x,g:50:rwx,m::rwx,o::---')),
  );
  lsetxattr(p('dir'), XATTR_ACL_ACCESS, buildPosixAcl(parseAclText('u::rwx,g::r-x,g:60:r-x,m::r-x,o::r-x')));
  fs.lchownSync(p('a.txt'), 1000, 1000);
  fs.lchownSync(p('sym'), 1001, 1002);
  fs.lchownSync(p('dir'), 2000, 2001);
  fs.chmodSync(p('a.txt'), 0o640);
  fs.chmodSync(p('setuid'), 0o4755);
  fs.chmodSync(p('dir'), 0o2775);
  lsetxattr(p('caps'), 'security.capability', FCAPS);
  setInodeFlags(p('flags'), getInodeFlags(p('flags')) | 0x80 | 0x40); // noatime, nodump
  const mtimes: [string, number, number][] = [
    ['a.txt', 1_700_000_001, 123_456_789],
    ['dir/nested/deep/file', -315_619_200, 500_000_000],
    ['sym', 1_600_000_000, 1],
    ['fifo', 1_600_000_001, 2],
    ['chr', 1_600_000_002, 3],
    ['dir/nested/deep', 1_500_000_000, 999_999_999],
    ['dir/nested', 1_500_000_001, 0],
    ['dir', 1_500_000_002, 7],
    ['', 1_400_000_000, 42],
  ];
  for (const [rel, sec, nsec] of mtimes) utimensat(p(rel), 'omit', { sec, nsec }, { noFollow: true });
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pxar-rt-'));
  src = path.join(tmp, 'src');
  if (isRoot) buildRichTree(src);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Encoded {
  archive: Buffer;
  payload: Buffer | undefined;
}

async function encode(dir: string, split: boolean, opts: EncodeDirectoryOptions = {}): Promise<Encoded> {
  const archive: Buffer[] = [];
  const payload: Buffer[] = [];
  const result = await encodeDirectory(dir, (b) => void archive.push(b), {
    ...opts,
    payloadSink: split ? (b) => void payload.push(b) : undefined,
  });
  expect(result.warnings).toEqual([]);
  return { archive: Buffer.concat(archive), payload: split ? Buffer.concat(payload) : undefined };
}

function decoderOf(e: Encoded, chunk = 65_536): PxarDecoder {
  function* chunks(buf: Buffer): Generator<Buffer> {
    for (let at = 0; at < buf.length; at += chunk) yield buf.subarray(at, at + chunk);
  }
  return new PxarDecoder(chunks(e.archive), { payload: e.payload ? chunks(e.payload) : undefined });
}

async function restore(
  e: Encoded,
  name: string,
  opts: ExtractOptions = {},
): Promise<{ dir: string; result: ExtractResult }> {
  const dir = path.join(tmp, name);
  return { dir, result: await extractArchive(decoderOf(e), dir, opts) };
}

const byPath = (snap: SnapshotEntry[]): string[] => snap.map((e) => e.path);

describe.runIf(isRoot)('encode → extract round trip (root)', () => {
  it.each([
    ['unified', false],
    ['split', true],
  ])('restores every archived property (%s archive)', async (label, split) => {
    const encoded = await encode(src, split);
    const { dir, result } = await restore(encoded, `out-${label}`);
    expect(result.problems).toEqual([]);
    expect(snapshotTree(dir)).toEqual(snapshotTree(src));
    const again = await encode(dir, split);
    expect(again.archive.equals(encoded.archive)).toBe(true);
    expect(again.payload?.equals(encoded.payload ?? Buffer.alloc(0)) ?? true).toBe(true);
    // the hole in the middle of sparse.bin stayed a hole
    expect(fs.statSync(path.join(dir, 'sparse.bin')).blocks * 512).toBeLessThan(1024 * 1024);
  });

  it('restores part of an archive by pattern, creating only the directories on the way', async () => {
    const encoded = await encode(src, false);
    const { dir, result } = await restore(encoded, 'partial', { patterns: ['dir/nested', '/a.txt'] });
    expect(result.problems).toEqual([]);
    const snap = snapshotTree(dir);
    expect(byPath(snap)).toEqual([
      '/',
      '/a.txt',
      '/dir',
      '/dir/nested',
      '/dir/nested/deep',
      '/dir/nested/deep/file',
    ]);
    const original = new Map(snapshotTree(src).map((e) => [e.path, e]));
    for (const e of snap) expect(e).toEqual(original.get(e.path));
  });

  it('honours --exclude patterns and .pxarexclude files, recording the CLI patterns', async () => {
    const tree = path.join(tmp, 'excl');
    fs.mkdirSync(path.join(tree, 'sub/keep'), { recursive: true });
    for (const f of ['a.bin', 'a.txt', 'sub/b.bin', 'sub/c.log', 'sub/keep/d.log', 'sub/keep/e.txt']) {
      fs.writeFileSync(path.join(tree, f), f);
    }
    fs.writeFileSync(path.join(tree, 'sub/.pxarexclude'), '# logs\n*.log\n!/keep/d.log\n/keep/e.txt\n');
    const names = async (split: boolean): Promise<string[]> => {
      const e = await encode(tree, split, { excludes: ['*.bin', '!sub/b.bin', 'nothing/'] });
      const decoder = decoderOf(e);
      const out: string[] = [];
      for await (const entry of decoder) {
        out.push(entry.kind.type === 'prelude' ? `prelude:${entry.kind.data.toString()}` : entry.path);
        if (entry.path === '/.pxarexclude-cli') out.push(`cli:${(await decoder.readContents()).toString()}`);
      }
      return out;
    };
    const expected = [
      '/',
      '/a.txt',
      '/sub',
      '/sub/.pxarexclude',
      '/sub/b.bin',
      '/sub/keep',
      '/sub/keep/d.log',
    ];
    expect(await names(false)).toEqual([
      ...expected,
      '/.pxarexclude-cli',
      'cli:*.bin\n!sub/b.bin\nnothing/\n',
    ]);
    expect(await names(true)).toEqual([
      '/',
      'prelude:{"exclude-patterns":"*.bin\\n!sub/b.bin\\nnothing/\\n"}',
      ...expected,
    ]);
  });
});
