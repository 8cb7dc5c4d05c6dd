/**
 * POSIX ACLs as Linux stores them (`system.posix_acl_access` / `system.posix_acl_default`, the
 * xattr format of linux/posix_acl_xattr.h) and their mapping to pxar ACL items, both directions
 * exactly as the PBS client does (pbs-client pxar/create.rs `process_acl`, metadata.rs
 * `apply_acls`). Reading and writing the xattrs directly needs no libacl.
 */
import { ACL_NO_MASK } from '../format/constants.js';
import type { Acl, AclEntry, Metadata } from '../format/types.js';

export const XATTR_ACL_ACCESS = 'system.posix_acl_access';
export const XATTR_ACL_DEFAULT = 'system.posix_acl_default';

export const ACL_USER_OBJ = 0x01;
export const ACL_USER = 0x02;
export const ACL_GROUP_OBJ = 0x04;
export const ACL_GROUP = 0x08;
export const ACL_MASK = 0x10;
export const ACL_OTHER = 0x20;
const ACL_UNDEFINED_ID = 0xffffffff;
const POSIX_ACL_XATTR_VERSION = 2;

export interface PosixAclEntry {
  tag: number;
  /** uid/gid for ACL_USER/ACL_GROUP; ignored otherwise. */
  id: number;
  /** rwx bits (4/2/1). */
  perm: number;
}

/** Decodes a posix_acl xattr value; null when it is not a version-2 ACL. */
export function parsePosixAcl(value: Buffer): PosixAclEntry[] | null {
  if (value.length < 4 || (value.length - 4) % 8 !== 0) return null;
  if (value.readUInt32LE(0) !== POSIX_ACL_XATTR_VERSION) return null;
  const out: PosixAclEntry[] = [];
  for (let at = 4; at < value.length; at += 8) {
    out.push({
      tag: value.readUInt16LE(at),
      perm: value.readUInt16LE(at + 2),
      id: value.readUInt32LE(at + 4),
    });
  }
  return out;
}

/** Encodes entries in the order the kernel requires (by tag, then id). */
export function buildPosixAcl(entries: readonly PosixAclEntry[]): Buffer {
  const sorted = entries.slice().sort((a, b) => a.tag - b.tag || a.id - b.id);
  const buf = Buffer.alloc(4 + 8 * sorted.length);
  buf.writeUInt32LE(POSIX_ACL_XATTR_VERSION, 0);
  sorted.forEach((e, i) => {
    const named = e.tag === ACL_USER || e.tag === ACL_GROUP;
    buf.writeUInt16LE(e.tag, 4 + i * 8);
    buf.writeUInt16LE(e.perm & 7, 6 + i * 8);
    buf.writeUInt32LE(named ? e.id : ACL_UNDEFINED_ID, 8 + i * 8);
  });
  return buf;
}

const byIdThenPerm = (a: AclEntry, b: AclEntry): number => a.id - b.id || a.permissions - b.permissions;

function split(entries: readonly PosixAclEntry[]): {
  users: AclEntry[];
  groups: AclEntry[];
  base: Map<number, number>;
} {
  const users: AclEntry[] = [];
  const groups: AclEntry[] = [];
  const base = new Map<number, number>();
  for (const e of entries) {
    if (e.tag === ACL_USER) users.push({ id: e.id, permissions: e.perm });
    else if (e.tag === ACL_GROUP) groups.push({ id: e.id, permissions: e.perm });
    else base.set(e.tag, e.perm);
  }
  users.sort(byIdThenPerm);
  groups.sort(byIdThenPerm);
  return { users, groups, base };
}

/**
 * Maps an access ACL into `acl`: named users and groups, and `groupObj` only when a mask
 * exists (the mode's group bits then carry the mask).
 */
export function applyAccessAcl(acl: Acl, entries: readonly PosixAclEntry[]): void {
  const { users, groups, base } = split(entries);
  acl.users = users;
  acl.groups = groups;
  const groupObj = base.get(ACL_GROUP_OBJ);
  acl.groupObj = groupObj !== undefined && base.has(ACL_MASK) ? groupObj : null;
}

/** Maps a default ACL into `acl`; unset base entries become ACL_NO_MASK. */
export function applyDefaultAcl(acl: Acl, entries: readonly PosixAclEntry[]): void {
  const { users, groups, base } = split(entries);
  acl.defaultUsers = users;
  acl.defaultGroups = groups;
  acl.default =
    base.size === 0
      ? null
      : {
          userObj: base.get(ACL_USER_OBJ) ?? ACL_NO_MASK,
          groupObj: base.get(ACL_GROUP_OBJ) ?? ACL_NO_MASK,
          other: base.get(ACL_OTHER) ?? ACL_NO_MASK,
          mask: base.get(ACL_MASK) ?? ACL_NO_MASK,
        };
}

export interface RestoredAcl {
  access: Buffer;
  default: Buffer | null;
  /** Set when the archive lacked GROUP_OBJ for named entries and the mask was reconstructed. */
  warning: string | null;
}

/** The xattr values a restore writes for `meta` (PBS `apply_acls`). */
export function posixAclsFor(meta: Metadata): RestoredAcl {
  const m = meta.stat.mode;
  const acl = meta.acl;
  const groupBits = (m >> 3) & 7;
  const access: PosixAclEntry[] = [
    { tag: ACL_USER_OBJ, id: 0, perm: (m >> 6) & 7 },
    { tag: ACL_OTHER, id: 0, perm: m & 7 },
  ];
  let warning: string | null = null;
  if (acl.groupObj !== null) {
    access.push({ tag: ACL_MASK, id: 0, perm: groupBits }, { tag: ACL_GROUP_OBJ, id: 0, perm: acl.groupObj });
  } else {
    access.push({ tag: ACL_GROUP_OBJ, id: 0, perm: groupBits });
    if (acl.users.length > 0 || acl.groups.length > 0) {
      warning = 'missing GROUP_OBJ entry in ACL, resetting to value of MASK';
      access.push({ tag: ACL_MASK, id: 0, perm: groupBits });
    }
  }
  for (const u of acl.users) access.push({ tag: ACL_USER, id: u.id, perm: u.permissions });
  for (const g of acl.groups) access.push({ tag: ACL_GROUP, id: g.id, perm: g.permissions });
  let defaults: Buffer | null = null;
  if (acl.default !== null) {
    const d = acl.default;
    const list: PosixAclEntry[] = [];
    const base: [number, number][] = [
      [ACL_USER_OBJ, d.userObj],
      [ACL_GROUP_OBJ, d.groupObj],
      [ACL_OTHER, d.other],
      [ACL_MASK, d.mask],
    ];
    for (const [tag, perm] of base) if (perm !== ACL_NO_MASK) list.push({ tag, id: 0, perm });
    for (const u of acl.defaultUsers) list.push({ tag: ACL_USER, id: u.id, perm: u.permissions });
    for (const g of acl.defaultGroups) list.push({ tag: ACL_GROUP, id: g.id, perm: g.permissions });
    defaults = buildPosixAcl(list);
  }
  return { access: buildPosixAcl(access), default: defaults, warning };
}

/** Parses setfacl's short text form ("u::rw-,u:1001:r-x,g::r--,m::rw-,o::---"). */
export function parseAclText(text: string): PosixAclEntry[] {
  const tags: Record<string, number> = { u: ACL_USER_OBJ, g: ACL_GROUP_OBJ, m: ACL_MASK, o: ACL_OTHER };
  return text.split(',').map((part) => {
    const [kind = '', qualifier = '', perms = ''] = part.trim().split(':');
    const named = qualifier !== '';
    const tag = named ? (kind === 'u' ? ACL_USER : kind === 'g' ? ACL_GROUP : -1) : (tags[kind] ?? -1);
    if (tag < 0 || !/^[r-][w-][x-]$/.test(perms)) throw new Error(`bad ACL entry '${part}'`);
    const perm = (perms[0] === 'r' ? 4 : 0) | (perms[1] === 'w' ? 2 : 0) | (perms[2] === 'x' ? 1 : 0);
    return { tag, id: named ? Number(qualifier) : 0, perm };
  });
}
