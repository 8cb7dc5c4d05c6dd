/**
 * Applying pxar metadata to a restored inode in PBS's order (pbs-client pxar/metadata.rs
 * `apply`): owner first (chown clears capabilities and set-id bits), xattrs, file capabilities,
 * ACLs, quota project id, then mode and mtime (changing the mode may drop our own access, and
 * anything after touches the times), and chattr flags last (immutable/append-only would block
 * the rest).
 *
 * Where PBS quietly skips what the target file system does not support (EOPNOTSUPP), we go on
 * as well but report it: every failure becomes a `RestoreProblem`.
 */
import fs from 'node:fs';
import { getInodeFlags, lsetxattr, setInodeFlags, setProjectId, utimensat } from '@pbs/native';
import { aclIsEmpty, isDirMode, isRegularMode, isSymlinkMode, type Metadata } from '../format/types.js';
import { DEFAULT_RESTORE_FLAGS, FAT_FLAGS, chattrFromFlags, initialChattr } from './flags.js';
import { XATTR_ACL_ACCESS, XATTR_ACL_DEFAULT, posixAclsFor } from './posix-acl.js';
import { XATTR_NAME_FCAPS, isStoredXattrName } from './read-metadata.js';

export interface RestoreProblem {
  /** Archive path ("/sub/x.txt"). */
  path: string;
  /** What could not be restored: "owner", "xattr user.x", "acl", "mode", "mtime", "device node", … */
  what: string;
  /** errno name when the system refused (EPERM, EOPNOTSUPP, …). */
  code?: string;
  message: string;
}

/** Which metadata a restore applies. */
export interface RestoreFeatures {
  owner: boolean;
  permissions: boolean;
  xattrs: boolean;
  acls: boolean;
  fcaps: boolean;
  chattr: boolean;
  quotaProjectId: boolean;
}

export type ReportFn = (what: string, err: unknown) => void;

export function problemOf(path: string, what: string, err: unknown): RestoreProblem {
  const code = (err as { code?: unknown }).code;
  return {
    path,
    what,
    ...(typeof code === 'string' ? { code } : {}),
    message: err instanceof Error ? err.message : String(err),
  };
}

function attempt(report: ReportFn, what: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    report(what, err);
  }
}

function applyXattrs(path: Buffer, meta: Metadata, report: ReportFn): void {
  for (const x of meta.xattrs) {
    const name = x.name.toString('utf8');
    if (!isStoredXattrName(name) || !Buffer.from(name).equals(x.name)) {
      report(`xattr ${name}`, new Error('skipping invalid xattr name'));
      continue;
    }
    attempt(report, `xattr ${name}`, () => lsetxattr(path, name, x.value));
  }
}

function applyAcls(path: Buffer, meta: Metadata, report: ReportFn): void {
  if (aclIsEmpty(meta.acl)) return;
  const acls = posixAclsFor(meta);
  if (acls.warning !== null) report('acl', new Error(acls.warning));
  attempt(report, 'acl', () => lsetxattr(path, XATTR_ACL_ACCESS, acls.access));
  const defaults = acls.default;
  if (defaults !== null) attempt(report, 'default acl', () => lsetxattr(path, XATTR_ACL_DEFAULT, defaults));
}

/** chattr: archive flags within the restorable mask, keeping the file's other flags. */
function applyChattr(path: Buffer, flags: number, report: ReportFn): void {
  const mask = chattrFromFlags(DEFAULT_RESTORE_FLAGS);
  const wanted = chattrFromFlags(flags) & mask;
  if (wanted === 0) return;
  attempt(report, 'file attributes (chattr)', () => {
    const current = getInodeFlags(path);
    const next = ((wanted & mask) | (current & ~mask)) >>> 0;
    if (next !== current) setInodeFlags(path, next);
  });
}

/**
 * Applies `meta` to the inode at `path` (never following a final symlink). Problems go to
 * `report`; nothing throws.
 */
export function applyMetadata(
  path: Buffer,
  meta: Metadata,
  features: RestoreFeatures,
  report: ReportFn,
): void {
  const st = meta.stat;
  const symlink = isSymlinkMode(st.mode);
  // chattr and project ids exist for files and directories only (PBS reads them through an fd)
  const fileOrDir = isRegularMode(st.mode) || isDirMode(st.mode);
  if (features.owner) attempt(report, 'owner', () => fs.lchownSync(path, st.uid, st.gid));
  if (features.xattrs) applyXattrs(path, meta, report);
  const fcaps = meta.fcaps;
  if (features.fcaps && fcaps !== null)
    attempt(report, 'file capabilities', () => lsetxattr(path, XATTR_NAME_FCAPS, fcaps));
  if (features.acls && !symlink) applyAcls(path, meta, report);
  const projid = meta.quotaProjectId;
  if (features.quotaProjectId && projid !== null && fileOrDir)
    attempt(report, 'quota project id', () => setProjectId(path, projid));
  if (features.permissions && !symlink) attempt(report, 'mode', () => fs.chmodSync(path, st.mode & 0o7777));
  attempt(report, 'mtime', () =>
    utimensat(path, 'omit', { sec: st.mtime.secs, nsec: st.mtime.nanos }, { noFollow: true }),
  );
  if ((st.flags & FAT_FLAGS) !== 0)
    report('FAT attributes', new Error('not restored: FAT attributes are not supported'));
  if (features.chattr && st.flags !== 0 && fileOrDir) applyChattr(path, st.flags, report);
}

/**
 * applyMetadata for a regular file just written by a background writer: the same steps in the
 * same order, with owner and mode changed through the thread pool so writers can run side by
 * side (xattrs, ACLs and the nanosecond mtime stay synchronous: the native calls are cheap).
 */
export async function applyFileMetadata(
  path: Buffer,
  meta: Metadata,
  features: RestoreFeatures,
  report: ReportFn,
): Promise<void> {
  const st = meta.stat;
  if (features.owner) await fs.promises.lchown(path, st.uid, st.gid).catch((err) => report('owner', err));
  if (features.xattrs) applyXattrs(path, meta, report);
  const fcaps = meta.fcaps;
  if (features.fcaps && fcaps !== null)
    attempt(report, 'file capabilities', () => lsetxattr(path, XATTR_NAME_FCAPS, fcaps));
  if (features.acls) applyAcls(path, meta, report);
  const projid = meta.quotaProjectId;
  if (features.quotaProjectId && projid !== null)
    attempt(report, 'quota project id', () => setProjectId(path, projid));
  if (features.permissions)
    await fs.promises.chmod(path, st.mode & 0o7777).catch((err) => report('mode', err));
  attempt(report, 'mtime', () =>
    utimensat(path, 'omit', { sec: st.mtime.secs, nsec: st.mtime.nanos }, { noFollow: true }),
  );
  if ((st.flags & FAT_FLAGS) !== 0)
    report('FAT attributes', new Error('not restored: FAT attributes are not supported'));
  if (features.chattr && st.flags !== 0) applyChattr(path, st.flags, report);
}

/** chattr flags PBS sets on a new, still empty file (noatime, nocow, compression, …). */
export function applyInitialFlags(path: Buffer, flags: number, report: ReportFn): void {
  const wanted = initialChattr(flags & DEFAULT_RESTORE_FLAGS);
  if (wanted === 0) return;
  attempt(report, 'file attributes (chattr)', () => {
    const current = getInodeFlags(path);
    if ((current & wanted) >>> 0 !== wanted) setInodeFlags(path, (current | wanted) >>> 0);
  });
}
