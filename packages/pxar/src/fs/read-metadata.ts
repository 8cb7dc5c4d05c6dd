/**
 * Reading an inode's pxar metadata with the PBS client's rules (pbs-client pxar/create.rs
 * `get_metadata`): stat (mode, owner, nanosecond mtime), then for regular files and directories
 * only — PBS reads them through an fd that other types do not have — the xattrs `user.*`,
 * `trusted.*` and `security.NTACL` (sorted by name), POSIX ACLs mapped to pxar items, file
 * capabilities, chattr flags and a non-zero quota project id.
 *
 * Nothing is dropped silently: what cannot be read is reported through `warn` and the backup
 * goes on (PBS stops on such errors; a report per file keeps a large backup useful).
 */
import type { BigIntStats } from 'node:fs';
import {
  fgetInodeAttrs,
  fgetxattr,
  flistxattr,
  getInodeAttrs,
  hasErrnoCode,
  lgetxattr,
  llistxattr,
} from '@pbs/native';
import { emptyAcl, type Metadata, type Timestamp } from '../format/types.js';
import { flagsFromChattr } from './flags.js';
import {
  XATTR_ACL_ACCESS,
  XATTR_ACL_DEFAULT,
  applyAccessAcl,
  applyDefaultAcl,
  parsePosixAcl,
} from './posix-acl.js';

export const XATTR_NAME_FCAPS = 'security.capability';

/** Which metadata to read (all on by default, as PBS's DEFAULT flags on ext4/xfs). */
export interface MetadataFeatures {
  xattrs: boolean;
  acls: boolean;
  fcaps: boolean;
  chattr: boolean;
  quotaProjectId: boolean;
}

export const ALL_FEATURES: MetadataFeatures = {
  xattrs: true,
  acls: true,
  fcaps: true,
  chattr: true,
  quotaProjectId: true,
};

export type WarnFn = (what: string, err: unknown) => void;

/** errno names meaning "this file system/file type does not have that" (PBS errno_is_unsupported). */
const UNSUPPORTED = ['ENOTTY', 'ENOSYS', 'EBADF', 'EOPNOTSUPP', 'ENOTSUP', 'EINVAL'];

const NS = 1_000_000_000n;

/** st_mtim from a bigint stat: seconds rounded down, nanoseconds always positive. */
export function mtimeOf(st: BigIntStats): Timestamp {
  const ns = st.mtimeNs;
  let secs = ns / NS;
  let nanos = ns % NS;
  if (nanos < 0n) {
    nanos += NS;
    secs -= 1n;
  }
  return { secs: Number(secs), nanos: Number(nanos) };
}

/** user.*, trusted.*, security.NTACL (and security.capability, handled as fcaps) — ≤ 255 bytes. */
export function isStoredXattrName(name: string): boolean {
  const len = Buffer.byteLength(name);
  if (len === 0 || len > 255) return false;
  return name.startsWith('user.') || name.startsWith('trusted.') || name === 'security.NTACL';
}

/** The inode to read: by path, or through an fd the caller already holds (saves an open). */
interface Inode {
  list(): string[];
  get(name: string): Buffer | null;
}

function inodeOf(path: Buffer, fd: number | undefined): Inode {
  return fd === undefined
    ? { list: () => llistxattr(path), get: (name) => lgetxattr(path, name) }
    : { list: () => flistxattr(fd), get: (name) => fgetxattr(fd, name) };
}

function readXattrs(
  inode: Inode,
  meta: Metadata,
  isDir: boolean,
  features: MetadataFeatures,
  warn: WarnFn,
): void {
  let names: string[];
  try {
    names = inode.list();
  } catch (err) {
    if (!hasErrnoCode(err, ...UNSUPPORTED)) warn('xattrs', err);
    return;
  }
  for (const name of names) {
    try {
      if (name === XATTR_NAME_FCAPS) {
        if (features.fcaps) meta.fcaps = inode.get(name);
      } else if (name === XATTR_ACL_ACCESS || name === XATTR_ACL_DEFAULT) {
        if (features.acls) readAcl(inode, meta, name, isDir, warn);
      } else if (features.xattrs && isStoredXattrName(name)) {
        const value = inode.get(name); // null: removed while we were iterating
        if (value !== null) meta.xattrs.push({ name: Buffer.from(name), value });
      }
    } catch (err) {
      if (!hasErrnoCode(err, 'ENODATA', ...UNSUPPORTED)) warn(`xattr ${name}`, err);
    }
  }
  meta.xattrs.sort((a, b) => Buffer.compare(a.name, b.name));
}

function readAcl(inode: Inode, meta: Metadata, name: string, isDir: boolean, warn: WarnFn): void {
  if (name === XATTR_ACL_DEFAULT && !isDir) return;
  const value = inode.get(name);
  if (value === null) return;
  const entries = parsePosixAcl(value);
  if (entries === null) {
    warn(`acl ${name}`, new Error('unsupported POSIX ACL xattr format'));
    return;
  }
  if (name === XATTR_ACL_ACCESS) applyAccessAcl(meta.acl, entries);
  else applyDefaultAcl(meta.acl, entries);
}

function readInodeAttrs(
  path: Buffer,
  fd: number | undefined,
  meta: Metadata,
  features: MetadataFeatures,
  warn: WarnFn,
): void {
  try {
    const attrs = fd === undefined ? getInodeAttrs(path) : fgetInodeAttrs(fd);
    if (features.chattr && attrs.flags !== null) meta.stat.flags = flagsFromChattr(attrs.flags);
    if (features.quotaProjectId && attrs.projectId !== null && attrs.projectId !== 0) {
      meta.quotaProjectId = attrs.projectId;
    }
  } catch (err) {
    if (!hasErrnoCode(err, ...UNSUPPORTED)) warn('file attributes', err);
  }
}

/**
 * The metadata of the inode at `path` (not following symlinks), given its lstat; `fd`, when the
 * caller has the file open already, is used instead of the path.
 */
export function readMetadata(
  path: Buffer,
  st: BigIntStats,
  features: MetadataFeatures,
  warn: WarnFn,
  fd?: number,
): Metadata {
  const meta: Metadata = {
    stat: { mode: Number(st.mode), flags: 0, uid: Number(st.uid), gid: Number(st.gid), mtime: mtimeOf(st) },
    xattrs: [],
    acl: emptyAcl(),
    fcaps: null,
    quotaProjectId: null,
  };
  if (st.isFile() || st.isDirectory()) {
    const inode = inodeOf(path, fd);
    if (features.xattrs || features.acls || features.fcaps) {
      readXattrs(inode, meta, st.isDirectory(), features, warn);
    }
    if (features.chattr || features.quotaProjectId) readInodeAttrs(path, fd, meta, features, warn);
  }
  return meta;
}
