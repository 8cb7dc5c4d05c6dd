/**
 * The JSON record of one decoded entry in the format of the reference listings
 * (`tree.pxar.list.jsonl`, `tree.mpxar.list.jsonl`): mode as an octal string, mtime
 * [secs, nanos], xattr values in hex, pxar ACL items, file size and sha256, link targets.
 */
import { createHash } from 'node:crypto';
import { PxarDecoder } from '../decoder/decoder.js';
import type { ByteSource } from '../decoder/byte-reader.js';
import { ACL_NO_MASK } from '../format/constants.js';
import type { Acl, AclEntry, Entry } from '../format/types.js';

export type ListingRecord = Record<string, unknown>;

const perm = (p: number): number | string => (p === ACL_NO_MASK ? '18446744073709551615' : p);
const pairs = (list: AclEntry[]): [number, number | string][] => list.map((e) => [e.id, perm(e.permissions)]);

function aclRecord(acl: Acl): ListingRecord | null {
  const out: ListingRecord = {};
  if (acl.users.length > 0) out.users = pairs(acl.users);
  if (acl.groups.length > 0) out.groups = pairs(acl.groups);
  if (acl.groupObj !== null) out.group_obj = perm(acl.groupObj);
  if (acl.default !== null) {
    const d = acl.default;
    out.default = {
      user_obj: perm(d.userObj),
      group_obj: perm(d.groupObj),
      other: perm(d.other),
      mask: perm(d.mask),
    };
  }
  if (acl.defaultUsers.length > 0) out.default_users = pairs(acl.defaultUsers);
  if (acl.defaultGroups.length > 0) out.default_groups = pairs(acl.defaultGroups);
  return Object.keys(out).length > 0 ? out : null;
}

const KIND_NAMES: Record<string, string> = {
  directory: 'dir',
  file: 'file',
  symlink: 'symlink',
  device: 'device',
  fifo: 'fifo',
  socket: 'socket',
};

/** The record for `entry`; `content` is the file's data (for size and sha256). */
export function listingRecord(entry: Entry, content?: Buffer): ListingRecord {
  const kind = entry.kind;
  if (kind.type === 'version')
    return { kind: 'format-version', path: entry.path, version: `Version${kind.version}` };
  if (kind.type === 'prelude') return { kind: 'prelude', path: entry.path, data: kind.data.toString('hex') };
  if (kind.type === 'hardlink')
    return { kind: 'hardlink', path: entry.path, target: kind.target.toString('utf8') };
  const st = entry.metadata.stat;
  const rec: ListingRecord = {
    kind: KIND_NAMES[kind.type] ?? kind.type,
    path: entry.path,
    mode: st.mode.toString(8),
    uid: st.uid,
    gid: st.gid,
    mtime: [st.mtime.secs, st.mtime.nanos],
  };
  if (entry.metadata.xattrs.length > 0) {
    rec.xattrs = entry.metadata.xattrs.map((x) => [x.name.toString('utf8'), x.value.toString('hex')]);
  }
  const acl = aclRecord(entry.metadata.acl);
  if (acl !== null) rec.acl = acl;
  if (entry.metadata.fcaps !== null) rec.fcaps = entry.metadata.fcaps.toString('hex');
  if (kind.type === 'file') {
    rec.size = kind.size;
    if (content !== undefined) rec.sha256 = createHash('sha256').update(content).digest('hex');
  }
  if (kind.type === 'symlink') rec.target = kind.target.toString('utf8');
  if (kind.type === 'device') rec.rdev = [kind.device.major, kind.device.minor];
  return rec;
}

/** Decodes a whole archive into listing records (file contents hashed, never kept). */
export async function listArchive(archive: ByteSource, payload?: ByteSource): Promise<ListingRecord[]> {
  const decoder = new PxarDecoder(archive, { payload });
  const out: ListingRecord[] = [];
  for await (const entry of decoder) {
    if (entry.kind.type === 'file') {
      const hash = createHash('sha256');
      for await (const chunk of decoder.contents()) hash.update(chunk);
      const rec = listingRecord(entry);
      rec.sha256 = hash.digest('hex');
      out.push(rec);
    } else {
      out.push(listingRecord(entry));
    }
  }
  return out;
}
