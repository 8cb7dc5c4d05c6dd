/**
 * @pbs/native: a small N-API addon (C, built by node-gyp at install time) for the Linux system
 * calls Node 20 lacks and a backup tool cannot do without: extended attributes (which also carry
 * POSIX ACLs as `system.posix_acl_*` and file capabilities as `security.capability`), `mknod`
 * for FIFOs, sockets and device nodes, `utimensat` with nanoseconds, `flock`, fcntl record locks,
 * chattr flags (FS_IOC_GETFLAGS) and the quota project id (FS_IOC_FSGETXATTR).
 *
 * Invariants:
 * - Every call is synchronous and maps to one or two system calls; nothing is cached.
 * - Failures throw an `Error` shaped like Node's fs errors: `code` is the errno name (ENOENT,
 *   ENOTSUP, EPERM, …), `errno` the negative errno, `syscall`, `path`, and a message naming the
 *   path (and the attribute for xattr calls). The only failures turned into values are the
 *   ones callers branch on: a missing attribute (`lgetxattr` → null) and a lock held elsewhere
 *   (`flock`/`setlk` → false).
 * - Paths are strings (UTF-8) or Buffers (raw bytes: file names need not be UTF-8). No call
 *   follows a final symlink except `mknod`, which creates one.
 * - The addon is loaded on first use, so importing this package never fails; a missing build
 *   fails the first call with a message that says how to build it.
 */
import { createRequire } from 'node:module';

export type PathLike = string | Buffer;

/** The error the addon throws; `code` is the errno name. */
export interface NativeError extends Error {
  code: string;
  errno: number;
  syscall: string;
  path?: string;
}

interface Binding {
  lgetxattr(path: PathLike, name: PathLike): Buffer | null;
  llistxattr(path: PathLike): string[];
  lsetxattr(path: PathLike, name: PathLike, value: Buffer, flags: number): void;
  lremovexattr(path: PathLike, name: PathLike): void;
  mknod(path: PathLike, mode: number, major: number, minor: number): void;
  utimensat(
    path: PathLike,
    atimeSec: number | bigint,
    atimeNsec: number,
    mtimeSec: number | bigint,
    mtimeNsec: number,
    noFollow: boolean,
  ): void;
  flock(fd: number, op: number, nonBlocking: boolean): boolean;
  setlk(fd: number, type: number): boolean;
  getflags(path: PathLike): number;
  setflags(path: PathLike, flags: number): void;
  getprojid(path: PathLike): number;
  setprojid(path: PathLike, projid: number): void;
  getinodeattrs(path: PathLike): [number, number];
  fgetinodeattrs(fd: number): [number, number];
  fgetxattr(fd: number, name: PathLike): Buffer | null;
  flistxattr(fd: number): string[];
}

let binding: Binding | undefined;

function native(): Binding {
  if (binding === undefined) {
    const require = createRequire(import.meta.url);
    try {
      // src/ and dist/ are siblings of build/, so the same relative path serves both.
      binding = require('../build/Release/pbs_native.node') as Binding;
    } catch (err) {
      throw new Error(
        '@pbs/native: the addon is not built (packages/native/build/Release/pbs_native.node); ' +
          'run `npm rebuild @pbs/native` from the workspace root (needs g++, make and python3)',
        { cause: err },
      );
    }
  }
  return binding;
}

/** True when the compiled addon can be loaded (for callers that degrade instead of failing). */
export function isNativeAvailable(): boolean {
  try {
    native();
    return true;
  } catch {
    return false;
  }
}

/** True for an error thrown by this addon (or Node's fs) with the given errno name. */
export function hasErrnoCode(err: unknown, ...codes: string[]): boolean {
  return (
    err instanceof Error &&
    typeof (err as Partial<NativeError>).code === 'string' &&
    codes.includes((err as NativeError).code)
  );
}

// ---------------------------------------------------------------- extended attributes

/** `lsetxattr` flag: fail with EEXIST if the attribute exists. */
export const XATTR_CREATE = 1;
/** `lsetxattr` flag: fail with ENODATA if the attribute does not exist. */
export const XATTR_REPLACE = 2;

/** The value of an extended attribute, or null when the file does not have it (ENODATA). */
export function lgetxattr(path: PathLike, name: PathLike): Buffer | null {
  return native().lgetxattr(path, name);
}

/** The names of all extended attributes the caller may see, in the kernel's order. */
export function llistxattr(path: PathLike): string[] {
  return native().llistxattr(path);
}

/** `lgetxattr` on an open file descriptor. */
export function fgetxattr(fd: number, name: PathLike): Buffer | null {
  return native().fgetxattr(fd, name);
}

/** `llistxattr` on an open file descriptor. */
export function flistxattr(fd: number): string[] {
  return native().flistxattr(fd);
}

export function lsetxattr(path: PathLike, name: PathLike, value: Buffer, flags = 0): void {
  native().lsetxattr(path, name, value, flags);
}

export function lremovexattr(path: PathLike, name: PathLike): void {
  native().lremovexattr(path, name);
}

// ---------------------------------------------------------------- nodes

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFBLK = 0o060000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

/**
 * Creates a FIFO, socket, character or block device node. `mode` carries the type bits
 * (S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK) and the permissions (the umask applies, as in mknod(2));
 * `major`/`minor` matter for devices only.
 */
export function mknod(path: PathLike, mode: number, major = 0, minor = 0): void {
  native().mknod(path, mode, major, minor);
}

// ---------------------------------------------------------------- times

export interface Timespec {
  sec: number | bigint;
  /** 0 ≤ nsec < 1e9; negative times keep nsec positive (−0.5 s is sec −1, nsec 5e8). */
  nsec: number;
}
export type TimeArg = Timespec | 'now' | 'omit';

const UTIME_NOW = (1 << 30) - 1;
const UTIME_OMIT = (1 << 30) - 2;

function timeParts(value: TimeArg): [number | bigint, number] {
  if (value === 'now') return [0, UTIME_NOW];
  if (value === 'omit') return [0, UTIME_OMIT];
  if (!Number.isInteger(value.nsec) || value.nsec < 0 || value.nsec >= 1e9) {
    throw new RangeError(`utimensat: nsec out of range: ${value.nsec}`);
  }
  return [value.sec, value.nsec];
}

/** Sets access and modification times with nanoseconds; noFollow changes a symlink itself. */
export function utimensat(path: PathLike, atime: TimeArg, mtime: TimeArg, opts: { noFollow: boolean }): void {
  const [as, an] = timeParts(atime);
  const [ms, mn] = timeParts(mtime);
  native().utimensat(path, as, an, ms, mn, opts.noFollow);
}

// ---------------------------------------------------------------- locks

const FLOCK_OPS = { sh: 1, ex: 2, un: 8 } as const;

/** flock(2) on an open fd. Returns false when `nonBlocking` and the lock is held elsewhere. */
export function flock(fd: number, op: 'sh' | 'ex' | 'un', nonBlocking = false): boolean {
  return native().flock(fd, FLOCK_OPS[op], nonBlocking);
}

const LOCK_TYPES = { read: 0, write: 1, unlock: 2 } as const; // F_RDLCK, F_WRLCK, F_UNLCK

/**
 * Non-blocking POSIX record lock (fcntl F_SETLK) over the whole file; false when another process
 * holds a conflicting lock. Record locks belong to the process: any close() of the file in this
 * process drops them, and fds of the same process never conflict.
 */
export function setlk(fd: number, type: 'read' | 'write' | 'unlock'): boolean {
  return native().setlk(fd, LOCK_TYPES[type]);
}

// ---------------------------------------------------------------- inode flags, project id

/** chattr flags (FS_IOC_GETFLAGS) of a regular file or directory; never follows symlinks. */
export function getInodeFlags(path: PathLike): number {
  return native().getflags(path);
}

export function setInodeFlags(path: PathLike, flags: number): void {
  native().setflags(path, flags);
}

/** The quota project id (FS_IOC_FSGETXATTR) of a regular file or directory. */
export function getProjectId(path: PathLike): number {
  return native().getprojid(path);
}

export function setProjectId(path: PathLike, projid: number): void {
  native().setprojid(path, projid);
}

/** chattr flags and project id read through one open; null where the file system says unsupported. */
export interface InodeAttrs {
  flags: number | null;
  projectId: number | null;
  /** errno names of the ioctls that failed (ENOTTY, EOPNOTSUPP, …), for reporting. */
  errors: string[];
}

const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM',
  9: 'EBADF',
  13: 'EACCES',
  22: 'EINVAL',
  25: 'ENOTTY',
  38: 'ENOSYS',
  95: 'EOPNOTSUPP',
};

/** Reads chattr flags and the project id of a regular file or directory with a single open. */
export function getInodeAttrs(path: PathLike): InodeAttrs {
  return inodeAttrs(native().getinodeattrs(path));
}

/** `getInodeAttrs` on an open file descriptor (no open at all). */
export function fgetInodeAttrs(fd: number): InodeAttrs {
  return inodeAttrs(native().fgetinodeattrs(fd));
}

function inodeAttrs([flags, projid]: [number, number]): InodeAttrs {
  const errors: string[] = [];
  const value = (v: number): number | null => {
    if (v >= 0) return v;
    errors.push(ERRNO_NAMES[-v] ?? `errno ${-v}`);
    return null;
  };
  return { flags: value(flags), projectId: value(projid), errors };
}
