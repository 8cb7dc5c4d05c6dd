/**
 * Serialisation of pxar items into Buffers. Each function allocates exactly once: an entry's
 * FILENAME, metadata items and trailing item are sized first and filled in place, because the
 * encoder emits one item group per archived file and allocation dominates small-file archives.
 */
import {
  ACL_DEFAULT_SIZE,
  ACL_GROUP_OBJ_SIZE,
  ACL_NO_MASK,
  ACL_USER_SIZE,
  DEVICE_SIZE,
  HEADER_SIZE,
  PAYLOAD_REF_SIZE,
  PXAR_ACL_DEFAULT,
  PXAR_ACL_DEFAULT_GROUP,
  PXAR_ACL_DEFAULT_USER,
  PXAR_ACL_GROUP,
  PXAR_ACL_GROUP_OBJ,
  PXAR_ACL_USER,
  PXAR_DEVICE,
  PXAR_ENTRY,
  PXAR_FCAPS,
  PXAR_FILENAME,
  PXAR_HARDLINK,
  PXAR_PAYLOAD,
  PXAR_PAYLOAD_REF,
  PXAR_QUOTA_PROJID,
  PXAR_SYMLINK,
  PXAR_XATTR,
  QUOTA_PROJID_SIZE,
  STAT_SIZE,
} from './constants.js';
import type { AclEntry, Device, Metadata } from './types.js';

const TWO_32 = 0x1_0000_0000;

/** Writes a non-negative integer (< 2^53) as u64 LE. */
export function writeU64(buf: Buffer, value: number, offset: number): number {
  buf.writeUInt32LE(value % TWO_32, offset);
  buf.writeUInt32LE(Math.floor(value / TWO_32), offset + 4);
  return offset + 8;
}

/** ACL permissions: ACL_NO_MASK is u64::MAX on the wire. */
function writePerm(buf: Buffer, value: number, offset: number): number {
  if (value === ACL_NO_MASK) {
    buf.writeUInt32LE(0xffffffff, offset);
    buf.writeUInt32LE(0xffffffff, offset + 4);
    return offset + 8;
  }
  return writeU64(buf, value, offset);
}

export function writeHeader(buf: Buffer, htype: bigint, contentSize: number, offset: number): number {
  buf.writeBigUInt64LE(htype, offset);
  return writeU64(buf, contentSize + HEADER_SIZE, offset + 8);
}

/** A complete item: header + content. */
export function item(htype: bigint, content: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_SIZE + content.length);
  writeHeader(buf, htype, content.length, 0);
  buf.set(content, HEADER_SIZE);
  return buf;
}

/** An item whose content is `data` plus a terminating zero (FILENAME, SYMLINK). */
function zeroTerminatedSize(data: Uint8Array): number {
  return HEADER_SIZE + data.length + 1;
}

function writeZeroTerminated(buf: Buffer, htype: bigint, data: Uint8Array, offset: number): number {
  offset = writeHeader(buf, htype, data.length + 1, offset);
  buf.set(data, offset);
  buf[offset + data.length] = 0;
  return offset + data.length + 1;
}

function aclListSize(list: readonly AclEntry[]): number {
  return list.length * (HEADER_SIZE + ACL_USER_SIZE);
}

/** Size of ENTRY + XATTR* + ACL* + FCAPS? + QUOTA_PROJID? for `meta`. */
export function metadataSize(meta: Metadata): number {
  let size = HEADER_SIZE + STAT_SIZE;
  for (const x of meta.xattrs) size += HEADER_SIZE + x.name.length + 1 + x.value.length;
  const acl = meta.acl;
  size += aclListSize(acl.users) + aclListSize(acl.groups);
  if (acl.groupObj !== null) size += HEADER_SIZE + ACL_GROUP_OBJ_SIZE;
  if (acl.default !== null) size += HEADER_SIZE + ACL_DEFAULT_SIZE;
  size += aclListSize(acl.defaultUsers) + aclListSize(acl.defaultGroups);
  if (meta.fcaps !== null) size += HEADER_SIZE + meta.fcaps.length;
  if (meta.quotaProjectId !== null) size += HEADER_SIZE + QUOTA_PROJID_SIZE;
  return size;
}

function writeAclList(buf: Buffer, htype: bigint, list: readonly AclEntry[], offset: number): number {
  for (const e of list) {
    offset = writeHeader(buf, htype, ACL_USER_SIZE, offset);
    offset = writeU64(buf, e.id, offset);
    offset = writePerm(buf, e.permissions, offset);
  }
  return offset;
}

/** Writes the metadata items in pxar's order (format/mod.rs header comment). */
export function writeMetadata(buf: Buffer, meta: Metadata, offset: number): number {
  const st = meta.stat;
  offset = writeHeader(buf, PXAR_ENTRY, STAT_SIZE, offset);
  offset = writeU64(buf, st.mode, offset);
  offset = writeU64(buf, st.flags, offset);
  buf.writeUInt32LE(st.uid, offset);
  buf.writeUInt32LE(st.gid, offset + 4);
  buf.writeBigInt64LE(BigInt(st.mtime.secs), offset + 8);
  buf.writeUInt32LE(st.mtime.nanos, offset + 16);
  buf.writeUInt32LE(0, offset + 20); // the struct's padding
  offset += 24;
  for (const x of meta.xattrs) {
    offset = writeHeader(buf, PXAR_XATTR, x.name.length + 1 + x.value.length, offset);
    buf.set(x.name, offset);
    buf[offset + x.name.length] = 0;
    buf.set(x.value, offset + x.name.length + 1);
    offset += x.name.length + 1 + x.value.length;
  }
  const acl = meta.acl;
  offset = writeAclList(buf, PXAR_ACL_USER, acl.users, offset);
  offset = writeAclList(buf, PXAR_ACL_GROUP, acl.groups, offset);
  if (acl.groupObj !== null) {
    offset = writeHeader(buf, PXAR_ACL_GROUP_OBJ, ACL_GROUP_OBJ_SIZE, offset);
    offset = writePerm(buf, acl.groupObj, offset);
  }
  if (acl.default !== null) {
    const d = acl.default;
    offset = writeHeader(buf, PXAR_ACL_DEFAULT, ACL_DEFAULT_SIZE, offset);
    for (const p of [d.userObj, d.groupObj, d.other, d.mask]) offset = writePerm(buf, p, offset);
  }
  offset = writeAclList(buf, PXAR_ACL_DEFAULT_USER, acl.defaultUsers, offset);
  offset = writeAclList(buf, PXAR_ACL_DEFAULT_GROUP, acl.defaultGroups, offset);
  if (meta.fcaps !== null) {
    offset = writeHeader(buf, PXAR_FCAPS, meta.fcaps.length, offset);
    buf.set(meta.fcaps, offset);
    offset += meta.fcaps.length;
  }
  if (meta.quotaProjectId !== null) {
    offset = writeHeader(buf, PXAR_QUOTA_PROJID, QUOTA_PROJID_SIZE, offset);
    offset = writeU64(buf, meta.quotaProjectId, offset);
  }
  return offset;
}

/** What follows an entry's metadata (at most one item). */
export type Trailer =
  | { type: 'none' }
  | { type: 'payload'; size: number }
  | { type: 'payload-ref'; offset: number; size: number }
  | { type: 'symlink'; target: Uint8Array }
  | { type: 'device'; device: Device }
  | { type: 'hardlink'; offset: number; target: Uint8Array };

function trailerSize(t: Trailer): number {
  switch (t.type) {
    case 'none':
      return 0;
    case 'payload':
      return HEADER_SIZE; // content follows separately
    case 'payload-ref':
      return HEADER_SIZE + PAYLOAD_REF_SIZE;
    case 'symlink':
      return zeroTerminatedSize(t.target);
    case 'device':
      return HEADER_SIZE + DEVICE_SIZE;
    case 'hardlink':
      return HEADER_SIZE + 8 + t.target.length + 1;
  }
}

function writeTrailer(buf: Buffer, t: Trailer, offset: number): number {
  switch (t.type) {
    case 'none':
      return offset;
    case 'payload':
      return writeHeader(buf, PXAR_PAYLOAD, t.size, offset);
    case 'payload-ref':
      offset = writeHeader(buf, PXAR_PAYLOAD_REF, PAYLOAD_REF_SIZE, offset);
      offset = writeU64(buf, t.offset, offset);
      return writeU64(buf, t.size, offset);
    case 'symlink':
      return writeZeroTerminated(buf, PXAR_SYMLINK, t.target, offset);
    case 'device':
      offset = writeHeader(buf, PXAR_DEVICE, DEVICE_SIZE, offset);
      offset = writeU64(buf, t.device.major, offset);
      return writeU64(buf, t.device.minor, offset);
    case 'hardlink':
      offset = writeHeader(buf, PXAR_HARDLINK, 8 + t.target.length + 1, offset);
      offset = writeU64(buf, t.offset, offset);
      buf.set(t.target, offset);
      buf[offset + t.target.length] = 0;
      return offset + t.target.length + 1;
  }
}

/**
 * One directory entry's leading bytes: FILENAME (unless name is null, for the root), metadata
 * (unless null, for hardlinks) and the trailer item.
 */
export function entryItems(name: Uint8Array | null, meta: Metadata | null, trailer: Trailer): Buffer {
  const size =
    (name === null ? 0 : zeroTerminatedSize(name)) +
    (meta === null ? 0 : metadataSize(meta)) +
    trailerSize(trailer);
  const buf = Buffer.allocUnsafe(size);
  let offset = 0;
  if (name !== null) offset = writeZeroTerminated(buf, PXAR_FILENAME, name, offset);
  if (meta !== null) offset = writeMetadata(buf, meta, offset);
  offset = writeTrailer(buf, trailer, offset);
  if (offset !== size) throw new Error(`pxar: internal size mismatch (${offset} != ${size})`);
  return buf;
}

/** A bare header (PAYLOAD before streamed content, start/tail markers). */
export function headerOnly(htype: bigint, contentSize: number): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_SIZE);
  writeHeader(buf, htype, contentSize, 0);
  return buf;
}
