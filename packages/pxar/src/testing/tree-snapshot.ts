/**
 * A comparable description of a directory tree with everything a restore must reproduce: type,
 * mode, owner, nanosecond mtime, size and content hash, device numbers, symlink targets, every
 * xattr (including ACLs and capabilities), chattr flags and hardlink groups. Two trees restore
 * identically when their snapshots are equal. (atime/ctime/inode numbers are not archived.)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { getInodeFlags, lgetxattr, llistxattr } from '@pbs/native';

export interface SnapshotEntry {
  path: string;
  mode: string;
  uid: number;
  gid: number;
  mtimeNs: string;
  size?: number;
  sha256?: string;
  rdev?: [number, number];
  target?: string;
  xattrs: Record<string, string>;
  flags?: number;
  /** The first path (in snapshot order) of the same inode, for names that share it. */
  linkOf?: string;
}

const SLASH = Buffer.from('/');

/** Names as text; bytes that are not UTF-8 stay distinguishable (hex). */
function display(raw: Buffer): string {
  const text = raw.toString('utf8');
  return Buffer.from(text, 'utf8').equals(raw) ? text : `hex:${raw.toString('hex')}`;
}

function xattrsOf(p: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of llistxattr(p).sort())
    out[name] = (lgetxattr(p, name) ?? Buffer.alloc(0)).toString('hex');
  return out;
}

/** Snapshot of `root` and everything below it, sorted by path. */
export function snapshotTree(root: string, opts: { flags?: boolean } = {}): SnapshotEntry[] {
  const out: SnapshotEntry[] = [];
  const inodes = new Map<string, string>();
  const visit = (rel: Buffer): void => {
    const p = rel.length === 0 ? Buffer.from(root) : Buffer.concat([Buffer.from(root), SLASH, rel]);
    const st = fs.lstatSync(p, { bigint: true });
    const e: SnapshotEntry = {
      path: `/${display(rel)}`,
      mode: st.mode.toString(8),
      uid: Number(st.uid),
      gid: Number(st.gid),
      mtimeNs: st.mtimeNs.toString(),
      xattrs: st.isSymbolicLink() ? {} : xattrsOf(p),
    };
    if (st.isFile()) {
      e.size = Number(st.size);
      e.sha256 = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
      const key = `${st.dev}:${st.ino}`;
      const first = inodes.get(key);
      if (first !== undefined) e.linkOf = first;
      else if (st.nlink > 1n) inodes.set(key, e.path);
    }
    if (st.isSymbolicLink()) e.target = display(fs.readlinkSync(p, { encoding: 'buffer' }));
    if (st.isCharacterDevice() || st.isBlockDevice())
      e.rdev = [Number((st.rdev >> 8n) & 0xfffn), Number(st.rdev & 0xffn)];
    if ((opts.flags ?? true) && (st.isFile() || st.isDirectory())) e.flags = getInodeFlags(p);
    out.push(e);
    if (st.isDirectory()) {
      const names = fs.readdirSync(p, { encoding: 'buffer' }).sort((a, b) => Buffer.compare(a, b));
      for (const name of names) visit(rel.length === 0 ? name : Buffer.concat([rel, SLASH, name]));
    }
  };
  visit(Buffer.alloc(0));
  return out;
}
