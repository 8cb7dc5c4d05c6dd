/**
 * The reference vector tree (`testdata/tree.json`, see the vectors README `pxar/`): loading it,
 * turning its entries into pxar metadata, and building it on disk so that encoding the directory
 * reproduces `tree.pxar`, `tree.mpxar`/`tree.ppxar` and `catalog.pcat1` byte for byte.
 *
 * Building needs root (owners, device nodes) and the native addon. Whatever the machine refuses
 * is not faked: the entry is left out and listed in `skipped` with the reason, so a caller can
 * skip byte comparisons with an explicit message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, lsetxattr, mknod, utimensat } from '@pbs/native';
import { emptyAcl, type Metadata } from '../format/types.js';
import {
  XATTR_ACL_ACCESS,
  XATTR_ACL_DEFAULT,
  applyAccessAcl,
  applyDefaultAcl,
  buildPosixAcl,
  parseAclText,
} from '../fs/posix-acl.js';
import { streamA } from './stream-a.js';

export type VectorEntryType =
  'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'chardev' | 'blockdev' | 'socket';

export interface VectorEntry {
  path: string;
  type: VectorEntryType;
  mode?: string;
  uid?: number;
  gid?: number;
  mtime?: [number, number];
  content?: { text: string } | { stream: 'A'; offset: number; size: number };
  xattrs?: [string, string][];
  acl?: { access?: string; default?: string };
  rdev?: [number, number];
  target?: string;
  size?: number;
  sha256?: string;
}

export interface VectorTree {
  root: VectorEntry;
  entries: VectorEntry[];
}

/** packages/pxar/testdata (from src/testing or dist/testing alike). */
export const PXAR_TESTDATA_DIR = fileURLToPath(new URL('../../testdata/', import.meta.url));

export function loadVectorTree(file = path.join(PXAR_TESTDATA_DIR, 'tree.json')): VectorTree {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as VectorTree;
}

export function vectorContent(entry: VectorEntry): Buffer {
  const c = entry.content;
  if (c === undefined) return Buffer.alloc(0);
  return 'text' in c ? Buffer.from(c.text, 'utf8') : streamA(c.offset, c.size);
}

/** The pxar metadata the PBS client reads for this entry (xattrs sorted, ACLs mapped). */
export function vectorMetadata(entry: VectorEntry): Metadata {
  const acl = emptyAcl();
  if (entry.acl?.access !== undefined) applyAccessAcl(acl, parseAclText(entry.acl.access));
  if (entry.acl?.default !== undefined) applyDefaultAcl(acl, parseAclText(entry.acl.default));
  const xattrs = (entry.xattrs ?? [])
    .map(([name, value]) => ({ name: Buffer.from(name), value: Buffer.from(value, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.name, b.name));
  const [secs, nanos] = entry.mtime ?? [0, 0];
  return {
    stat: {
      mode: parseInt(entry.mode ?? '0', 8),
      flags: 0,
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
      mtime: { secs, nanos },
    },
    xattrs,
    acl,
    fcaps: null,
    quotaProjectId: null,
  };
}

export interface BuildResult {
  root: string;
  /** Entries the machine refused, with the reason; never silently dropped. */
  skipped: { path: string; reason: string }[];
}

function depth(p: string): number {
  return p === '' ? 0 : p.split('/').length;
}

function createNode(root: string, e: VectorEntry): void {
  const p = path.join(root, e.path);
  const perms = parseInt(e.mode ?? '0', 8) & 0o7777;
  switch (e.type) {
    case 'dir':
      fs.mkdirSync(p, { mode: 0o700 });
      return;
    case 'file':
      fs.writeFileSync(p, vectorContent(e), { mode: 0o600 });
      return;
    case 'symlink':
      fs.symlinkSync(e.target ?? '', p);
      return;
    case 'hardlink':
      fs.linkSync(path.join(root, e.target ?? ''), p);
      return;
    case 'fifo':
      mknod(p, S_IFIFO | perms);
      return;
    case 'socket':
      mknod(p, S_IFSOCK | perms);
      return;
    case 'chardev':
    case 'blockdev': {
      const [major, minor] = e.rdev ?? [0, 0];
      mknod(p, (e.type === 'chardev' ? S_IFCHR : S_IFBLK) | perms, major, minor);
      return;
    }
  }
}

/** Owner, xattrs and ACLs first, then the mode (chmod sets the ACL mask from the group bits). */
function applyMetadata(root: string, e: VectorEntry): void {
  const p = path.join(root, e.path);
  fs.lchownSync(p, e.uid ?? 0, e.gid ?? 0);
  for (const [name, value] of e.xattrs ?? []) lsetxattr(p, name, Buffer.from(value, 'utf8'));
  if (e.acl?.access !== undefined) lsetxattr(p, XATTR_ACL_ACCESS, buildPosixAcl(parseAclText(e.acl.access)));
  if (e.acl?.default !== undefined)
    lsetxattr(p, XATTR_ACL_DEFAULT, buildPosixAcl(parseAclText(e.acl.default)));
  if (e.type !== 'symlink') fs.chmodSync(p, parseInt(e.mode ?? '0', 8) & 0o7777);
}

function attempt(result: BuildResult, e: VectorEntry, what: string, fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    const reason = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    result.skipped.push({ path: e.path === '' ? '/' : e.path, reason });
    return false;
  }
}

/**
 * Creates the tree under `target` (which must not exist). Entries are created first and get
 * their metadata afterwards, so the default ACL of `sub` is not inherited by its children; mtimes
 * are set last, deepest first, so creating children does not disturb a parent's mtime.
 */
export function buildVectorTree(target: string, tree: VectorTree = loadVectorTree()): BuildResult {
  const result: BuildResult = { root: target, skipped: [] };
  fs.mkdirSync(target, { recursive: false, mode: 0o700 });
  const ordered = tree.entries
    .slice()
    .sort(
      (a, b) =>
        Number(a.type === 'hardlink') - Number(b.type === 'hardlink') || depth(a.path) - depth(b.path),
    );
  const created = ordered.filter((e) => attempt(result, e, `create ${e.type}`, () => createNode(target, e)));
  const withMeta = [tree.root, ...created.filter((e) => e.type !== 'hardlink')];
  const ok = withMeta.filter((e) => attempt(result, e, 'metadata', () => applyMetadata(target, e)));
  for (const e of ok.sort((a, b) => depth(b.path) - depth(a.path))) {
    const [sec, nsec] = e.mtime ?? [0, 0];
    attempt(result, e, 'mtime', () =>
      utimensat(path.join(target, e.path), 'omit', { sec, nsec }, { noFollow: true }),
    );
  }
  return result;
}
