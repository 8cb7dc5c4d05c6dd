import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  S_IFCHR,
  S_IFIFO,
  S_IFSOCK,
  XATTR_CREATE,
  fgetInodeAttrs,
  fgetxattr,
  flistxattr,
  flock,
  getInodeAttrs,
  getInodeFlags,
  getProjectId,
  hasErrnoCode,
  lgetxattr,
  llistxattr,
  lremovexattr,
  lsetxattr,
  mknod,
  setInodeFlags,
  setlk,
  utimensat,
} from './index.js';

let dir: string;
const isRoot = process.getuid?.() === 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbs-native-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content = 'x'): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function thrown(fn: () => unknown): Error & { code?: string; path?: string; syscall?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('xattrs', () => {
  it('round-trips user.* attributes, lists and removes them', () => {
    const p = file('xattr.txt');
    lsetxattr(p, 'user.comment', Buffer.from('hello'));
    lsetxattr(p, 'user.bin', Buffer.from([0, 1, 2, 255]));
    lsetxattr(p, 'user.empty', Buffer.alloc(0));
    expect(lgetxattr(p, 'user.comment')).toEqual(Buffer.from('hello'));
    expect(lgetxattr(p, 'user.bin')).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(lgetxattr(p, 'user.empty')).toEqual(Buffer.alloc(0));
    expect(llistxattr(p).sort()).toEqual(['user.bin', 'user.comment', 'user.empty']);
    lremovexattr(p, 'user.bin');
    expect(lgetxattr(p, 'user.bin')).toBeNull();
    expect(llistxattr(Buffer.from(p)).sort()).toEqual(['user.comment', 'user.empty']);
  });

  it('reads attributes through an open fd', () => {
    const p = file('fd-xattr.txt');
    lsetxattr(p, 'user.fd', Buffer.from('via fd'));
    const fd = fs.openSync(p, 'r');
    try {
      expect(flistxattr(fd)).toEqual(['user.fd']);
      expect(fgetxattr(fd, 'user.fd')).toEqual(Buffer.from('via fd'));
      expect(fgetxattr(fd, 'user.none')).toBeNull();
      expect(fgetInodeAttrs(fd)).toEqual(getInodeAttrs(p));
    } finally {
      fs.closeSync(fd);
    }
    expect(thrown(() => flistxattr(987_654)).code).toBe('EBADF');
  });

  it('handles values larger than a page', () => {
    const p = file('big-xattr.txt');
    const value = Buffer.alloc(3000, 7);
    lsetxattr(p, 'user.big', value);
    expect(lgetxattr(p, 'user.big')).toEqual(value);
  });

  it('returns null for a missing attribute and throws errno errors naming the path', () => {
    const p = file('none.txt');
    expect(lgetxattr(p, 'user.missing')).toBeNull();
    const missing = path.join(dir, 'does-not-exist');
    const err = thrown(() => lgetxattr(missing, 'user.x'));
    expect(err.code).toBe('ENOENT');
    expect(err.syscall).toBe('lgetxattr');
    expect(err.message).toContain(missing);
    expect(hasErrnoCode(err, 'ENOENT')).toBe(true);
    const exists = thrown(() => {
      lsetxattr(p, 'user.once', Buffer.from('1'), XATTR_CREATE);
      lsetxattr(p, 'user.once', Buffer.from('2'), XATTR_CREATE);
    });
    expect(exists.code).toBe('EEXIST');
    expect(thrown(() => lremovexattr(p, 'user.missing')).code).toBe('ENODATA');
  });

  it('rejects names with NUL bytes and wrong argument types', () => {
    const p = file('nul.txt');
    expect(() => lgetxattr(p, 'user.a\0b')).toThrow(TypeError);
    expect(() => lsetxattr(p, 'user.a', 'text' as unknown as Buffer)).toThrow(TypeError);
  });

  it('sets a binary POSIX access ACL through system.posix_acl_access', () => {
    const p = file('acl.txt');
    fs.chmodSync(p, 0o644);
    // version 2; USER_OBJ rw, USER 1001 rw, GROUP_OBJ r, MASK rw, OTHER r
    const entries: [number, number, number][] = [
      [0x01, 6, 0xffffffff],
      [0x02, 6, 1001],
      [0x04, 4, 0xffffffff],
      [0x10, 6, 0xffffffff],
      [0x20, 4, 0xffffffff],
    ];
    const acl = Buffer.alloc(4 + 8 * entries.length);
    acl.writeUInt32LE(2, 0);
    entries.forEach(([tag, perm, id], i) => {
      acl.writeUInt16LE(tag, 4 + i * 8);
      acl.writeUInt16LE(perm, 6 + i * 8);
      acl.writeUInt32LE(id, 8 + i * 8);
    });
    lsetxattr(p, 'system.posix_acl_access', acl);
    expect(lgetxattr(p, 'system.posix_acl_access')).toEqual(acl);
    // the kernel maps the mask to the group bits of the mode
    expect(fs.statSync(p).mode & 0o777).toBe(0o664);
  });
});

describe('mknod', () => {
  it('creates a FIFO and a socket node', () => {
    const fifo = path.join(dir, 'fifo');
    mknod(fifo, S_IFIFO | 0o640);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    const sock = path.join(dir, 'sock');
    mknod(sock, S_IFSOCK | 0o755);
    expect(fs.lstatSync(sock).isSocket()).toBe(true);
    expect(thrown(() => mknod(fifo, S_IFIFO | 0o600)).code).toBe('EEXIST');
  });

  it.runIf(isRoot)('creates a character device with major and minor (root)', () => {
    const dev = path.join(dir, 'null-dev');
    mknod(dev, S_IFCHR | 0o644, 1, 3);
    const st = fs.lstatSync(dev, { bigint: true });
    expect(st.isCharacterDevice()).toBe(true);
    const rdev = st.rdev;
    expect(Number((rdev >> 8n) & 0xfffn)).toBe(1);
    expect(Number(rdev & 0xffn)).toBe(3);
  });
});

describe('utimensat', () => {
  it('sets nanosecond mtimes visible through lstat bigint, keeping atime with omit', () => {
    const p = file('times.txt');
    utimensat(
      p,
      { sec: 1_600_000_000, nsec: 111 },
      { sec: 1_700_000_003, nsec: 999_999_999 },
      { noFollow: false },
    );
    let st = fs.lstatSync(p, { bigint: true });
    expect(st.mtimeNs).toBe(1_700_000_003_999_999_999n);
    expect(st.atimeNs).toBe(1_600_000_000_000_000_111n);
    utimensat(p, 'omit', { sec: -315_619_200n, nsec: 500_000_000 }, { noFollow: false });
    st = fs.lstatSync(p, { bigint: true });
    expect(st.mtimeNs).toBe(-315_619_199_500_000_000n);
    expect(st.atimeNs).toBe(1_600_000_000_000_000_111n);
  });

  it('changes a symlink itself with noFollow', () => {
    const target = file('target.txt');
    const link = path.join(dir, 'link');
    fs.symlinkSync('target.txt', link);
    const before = fs.statSync(target, { bigint: true }).mtimeNs;
    utimensat(link, 'now', { sec: 1_700_000_014, nsec: 5 }, { noFollow: true });
    expect(fs.lstatSync(link, { bigint: true }).mtimeNs).toBe(1_700_000_014_000_000_005n);
    expect(fs.statSync(target, { bigint: true }).mtimeNs).toBe(before);
  });

  it('validates nanoseconds', () => {
    const p = file('bad-times.txt');
    expect(() => utimensat(p, 'now', { sec: 1, nsec: 1e9 }, { noFollow: false })).toThrow(RangeError);
  });
});

describe('locks', () => {
  it('flock: a second fd cannot take an exclusive lock held by the first', () => {
    const p = file('lockfile');
    const a = fs.openSync(p, 'r');
    const b = fs.openSync(p, 'r');
    try {
      expect(flock(a, 'ex', true)).toBe(true);
      expect(flock(b, 'ex', true)).toBe(false);
      expect(flock(b, 'sh', true)).toBe(false);
      expect(flock(a, 'un')).toBe(true);
      expect(flock(b, 'sh', true)).toBe(true);
      expect(flock(a, 'sh', true)).toBe(true);
      expect(flock(a, 'ex', true)).toBe(false);
    } finally {
      fs.closeSync(a);
      fs.closeSync(b);
    }
  });

  it('flock on a closed fd throws EBADF', () => {
    expect(thrown(() => flock(987_654, 'ex', true)).code).toBe('EBADF');
  });

  it('setlk: another process cannot take a write lock this process holds', () => {
    const p = file('recordlock');
    const fd = fs.openSync(p, 'r+');
    const addon = fileURLToPath(new URL('../build/Release/pbs_native.node', import.meta.url));
    const child = (): string =>
      execFileSync(process.execPath, [
        '-e',
        `const m = require(${JSON.stringify(addon)});
         const fd = require('fs').openSync(${JSON.stringify(p)}, 'r+');
         process.stdout.write(String(m.setlk(fd, 1)));`,
      ]).toString();
    try {
      expect(setlk(fd, 'write')).toBe(true);
      expect(child()).toBe('false');
      expect(setlk(fd, 'unlock')).toBe(true);
      expect(child()).toBe('true');
      expect(setlk(fd, 'read')).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });
});

describe('inode flags and project id', () => {
  it('reads and writes chattr flags of a regular file', () => {
    const p = file('flags.txt');
    const FS_NOATIME_FL = 0x80;
    const before = getInodeFlags(p);
    setInodeFlags(p, before | FS_NOATIME_FL);
    expect(getInodeFlags(p) & FS_NOATIME_FL).toBe(FS_NOATIME_FL);
    setInodeFlags(p, before);
    expect(getInodeFlags(p)).toBe(before);
  });

  it('reads the quota project id', () => {
    expect(getProjectId(file('projid.txt'))).toBe(0);
  });

  it('reads flags and project id with one call, reporting unsupported ioctls as null', () => {
    const p = file('attrs.txt');
    expect(getInodeAttrs(p)).toEqual({ flags: getInodeFlags(p), projectId: 0, errors: [] });
    const proc = getInodeAttrs('/proc/self/status');
    expect(proc.flags).toBeNull();
    expect(proc.errors.length).toBeGreaterThan(0);
  });

  it('does not follow symlinks', () => {
    file('flag-target.txt');
    const link = path.join(dir, 'flag-link');
    fs.symlinkSync('flag-target.txt', link);
    expect(thrown(() => getInodeFlags(link)).code).toBe('ELOOP');
  });
});
