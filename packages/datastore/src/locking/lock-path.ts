import { createHash } from 'node:crypto';
import path from 'node:path';

/*
 * Where PBS puts the flock files of groups, snapshots and manifests (pbs-formats §1.6b,
 * lock_file_path_helper): `<lockDir>/<ns components joined by ':'>/<escaped rpath>`, the rpath
 * escaped like a systemd unit path; names of 255 bytes or more go to
 * `<ns>/hashed/<first 80>...<last 80>-<sha256 of the raw rpath>`. Every input is a validated
 * name, and the escaping leaves no '/' in a file name, so nothing can leave the lock directory.
 */

const NAME_MAX = 255;

function isPlain(byte: number, first: boolean): boolean {
  if (byte === 0x2e) return !first; // '.' except at the start
  return (
    byte === 0x5f || // '_'
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a)
  );
}

/** proxmox-systemd escape_unit(path, is_path = true) */
export function escapeUnitPath(unit: string): string {
  let bytes = Buffer.from(unit, 'utf8');
  let start = 0;
  while (start < bytes.length && bytes[start] === 0x2f) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) return '-';
  let out = '';
  bytes.forEach((byte, i) => {
    if (byte === 0x2f) out += '-';
    else if (isPlain(byte, i === 0)) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  });
  return out;
}

/**
 * The namespace directory of the lock files. PBS joins the components with ':'; a joined name
 * longer than a file name can be (which PBS cannot lock at all) is replaced by a hash under a
 * name that no namespace can have (components never start with '.').
 */
function namespaceLockDir(ns: readonly string[]): string {
  const joined = ns.join(':');
  if (Buffer.byteLength(joined) <= NAME_MAX) return joined;
  return `.ns-${createHash('sha256').update(joined).digest('hex')}`;
}

/** lock_file_path_helper: the lock file of `rpath` ('vm/100', 'vm/100/<time>', …) in `ns`. */
export function lockFilePath(lockDir: string, ns: readonly string[], rpath: string): string {
  const dir = path.join(lockDir, namespaceLockDir(ns));
  const enc = escapeUnitPath(rpath);
  if (enc.length < NAME_MAX) return path.join(dir, enc);
  const hash = createHash('sha256').update(rpath, 'utf8').digest('hex');
  return path.join(dir, 'hashed', `${enc.slice(0, 80)}...${enc.slice(-80)}-${hash}`);
}
