/**
 * The in-memory model of pxar metadata and entries, shared by encoder, decoder and accessor.
 * Numbers are JS numbers: offsets and sizes stay below 2^53 (8 PiB) and the decoders reject
 * anything larger as corrupt. Names and link targets are raw bytes (Buffer): Linux file names
 * need not be UTF-8 and must survive a round trip unchanged.
 */
import { ACL_NO_MASK, mode } from './constants.js';

/** Seconds and nanoseconds since the epoch; before 1970 secs is negative and nanos positive. */
export interface Timestamp {
  secs: number;
  nanos: number;
}

export interface Stat {
  /** st_mode including the file type bits (pxar's `mode` constants). */
  mode: number;
  /** chattr/FAT flags in pxar's `Flags` bit layout (0 when none). */
  flags: number;
  uid: number;
  gid: number;
  mtime: Timestamp;
}

export interface XAttr {
  name: Buffer;
  value: Buffer;
}

/** ACL_USER / ACL_GROUP item: a uid or gid with rwx permission bits (4/2/1). */
export interface AclEntry {
  id: number;
  permissions: number;
}

/** The default ACL's base entries; ACL_NO_MASK (−1) marks an entry that is not set. */
export interface AclDefault {
  userObj: number;
  groupObj: number;
  other: number;
  mask: number;
}

/**
 * pxar's ACL items. `groupObj` is only set when the access ACL has a mask: the mode's group bits
 * then carry the mask and groupObj the real group-owner permissions.
 */
export interface Acl {
  users: AclEntry[];
  groups: AclEntry[];
  groupObj: number | null;
  default: AclDefault | null;
  defaultUsers: AclEntry[];
  defaultGroups: AclEntry[];
}

export interface Metadata {
  stat: Stat;
  xattrs: XAttr[];
  acl: Acl;
  /** security.capability in the kernel's on-disk format. */
  fcaps: Buffer | null;
  quotaProjectId: number | null;
}

export interface Device {
  major: number;
  minor: number;
}

export type EntryKind =
  | { type: 'version'; version: number }
  | { type: 'prelude'; data: Buffer }
  | { type: 'directory' }
  /**
   * A regular file. `contentOffset` is where the content starts in the archive stream (unified)
   * or, with a payload reference, where the PAYLOAD_REF item starts; `payloadOffset` is the
   * payload stream offset of the file's PAYLOAD header (split archives only).
   */
  | { type: 'file'; size: number; contentOffset: number | null; payloadOffset: number | null }
  | { type: 'symlink'; target: Buffer }
  /** `target` is the path of the first name relative to the archive root; `offset` is the
   * distance back from this entry's FILENAME to the target's FILENAME. */
  | { type: 'hardlink'; target: Buffer; offset: number }
  | { type: 'device'; device: Device }
  | { type: 'fifo' }
  | { type: 'socket' }
  /** End of a directory (only when the decoder is asked for goodbye entries). */
  | { type: 'goodbye' };

export interface Entry {
  /** Absolute path inside the archive, raw bytes ("/" for the root, "/sub/x.txt"). */
  rawPath: Buffer;
  /** The same path as a string (UTF-8, lossy for non-UTF-8 names); for display and JSON. */
  path: string;
  /** The last path component, raw bytes (empty for the root). */
  fileName: Buffer;
  metadata: Metadata;
  kind: EntryKind;
}

const SLASH = Buffer.from('/');

/** The archive path of `name` inside the directory at `dir` ("/" + name for the root). */
export function childPath(dir: Buffer, name: Buffer): Buffer {
  return dir.length === 1 ? Buffer.concat([SLASH, name]) : Buffer.concat([dir, SLASH, name]);
}

export function entryOf(rawPath: Buffer, fileName: Buffer, metadata: Metadata, kind: EntryKind): Entry {
  return { rawPath, path: rawPath.toString('utf8'), fileName, metadata, kind };
}

export function emptyAcl(): Acl {
  return { users: [], groups: [], groupObj: null, default: null, defaultUsers: [], defaultGroups: [] };
}

export function aclIsEmpty(acl: Acl): boolean {
  return (
    acl.users.length === 0 &&
    acl.groups.length === 0 &&
    acl.groupObj === null &&
    acl.default === null &&
    acl.defaultUsers.length === 0 &&
    acl.defaultGroups.length === 0
  );
}

/** Metadata with defaults for everything not given (no xattrs, no ACL, mtime 0). */
export function makeMetadata(
  stat: Partial<Stat> & { mode: number },
  extra: Partial<Omit<Metadata, 'stat'>> = {},
): Metadata {
  return {
    stat: {
      mode: stat.mode,
      flags: stat.flags ?? 0,
      uid: stat.uid ?? 0,
      gid: stat.gid ?? 0,
      mtime: stat.mtime ?? { secs: 0, nanos: 0 },
    },
    xattrs: extra.xattrs ?? [],
    acl: extra.acl ?? emptyAcl(),
    fcaps: extra.fcaps ?? null,
    quotaProjectId: extra.quotaProjectId ?? null,
  };
}

export function fileType(meta: Metadata): number {
  return meta.stat.mode & mode.IFMT;
}

export const isDirMode = (m: number): boolean => (m & mode.IFMT) === mode.IFDIR;
export const isRegularMode = (m: number): boolean => (m & mode.IFMT) === mode.IFREG;
export const isSymlinkMode = (m: number): boolean => (m & mode.IFMT) === mode.IFLNK;
export const isFifoMode = (m: number): boolean => (m & mode.IFMT) === mode.IFIFO;
export const isSocketMode = (m: number): boolean => (m & mode.IFMT) === mode.IFSOCK;
export const isDeviceMode = (m: number): boolean => {
  const t = m & mode.IFMT;
  return t === mode.IFCHR || t === mode.IFBLK;
};

export { ACL_NO_MASK };
