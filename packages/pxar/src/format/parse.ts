/**
 * Parsing of item contents (the bytes after a header) and the header size rules of pxar's
 * `Header::check_header_size`. Every failure is CORRUPT_DATA naming the archive (`name`).
 */
import { corrupt, showBytes } from '../errors.js';
import {
  ACL_DEFAULT_SIZE,
  ACL_GROUP_OBJ_SIZE,
  ACL_NO_MASK,
  ACL_USER_SIZE,
  DEVICE_SIZE,
  HEADER_SIZE,
  MAX_FILENAME_LEN,
  MAX_PATH_LEN,
  MAX_XATTR_LEN,
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
  PXAR_PAYLOAD_REF,
  PXAR_PAYLOAD_TAIL_MARKER,
  PXAR_QUOTA_PROJID,
  PXAR_SYMLINK,
  PXAR_XATTR,
  QUOTA_PROJID_SIZE,
  STAT_SIZE,
  describeHeaderType,
} from './constants.js';
import type { AclDefault, AclEntry, Device, Stat, XAttr } from './types.js';

const TWO_32 = 0x1_0000_0000;

export interface Header {
  htype: bigint;
  /** Including the 16 header bytes. */
  fullSize: number;
}

/** u64 LE as a number; values above 2^53 cannot be offsets or sizes of a real archive. */
export function readU64(buf: Buffer, offset: number, name: string | undefined, what: string): number {
  const lo = buf.readUInt32LE(offset);
  const hi = buf.readUInt32LE(offset + 4);
  if (hi >= 0x200000) throw corrupt(name, `${what} out of range (${(BigInt(hi) << 32n) | BigInt(lo)})`);
  return hi * TWO_32 + lo;
}

function readPerm(buf: Buffer, offset: number, name: string | undefined): number {
  if (buf.readUInt32LE(offset) === 0xffffffff && buf.readUInt32LE(offset + 4) === 0xffffffff) {
    return ACL_NO_MASK;
  }
  return readU64(buf, offset, name, 'acl permissions');
}

function maxContentSize(htype: bigint): number {
  switch (htype) {
    case PXAR_FILENAME:
      return MAX_FILENAME_LEN + 1;
    case PXAR_SYMLINK:
      return MAX_PATH_LEN + 1;
    case PXAR_HARDLINK:
      return MAX_PATH_LEN + 1 + 8;
    case PXAR_DEVICE:
      return DEVICE_SIZE;
    case PXAR_XATTR:
    case PXAR_FCAPS:
      return MAX_XATTR_LEN;
    case PXAR_ACL_USER:
    case PXAR_ACL_DEFAULT_USER:
    case PXAR_ACL_GROUP:
    case PXAR_ACL_DEFAULT_GROUP:
      return ACL_USER_SIZE;
    case PXAR_ACL_DEFAULT:
      return ACL_DEFAULT_SIZE;
    case PXAR_ACL_GROUP_OBJ:
      return ACL_GROUP_OBJ_SIZE;
    case PXAR_QUOTA_PROJID:
      return QUOTA_PROJID_SIZE;
    case PXAR_ENTRY:
      return STAT_SIZE;
    case PXAR_PAYLOAD_REF:
      return PAYLOAD_REF_SIZE;
    case PXAR_PAYLOAD_TAIL_MARKER:
      return HEADER_SIZE;
    default:
      return Number.MAX_SAFE_INTEGER;
  }
}

/** Reads and checks a header at `offset` of `buf` (pxar's check_header_size). */
export function parseHeader(buf: Buffer, offset: number, name: string | undefined, at: number): Header {
  const htype = buf.readBigUInt64LE(offset);
  const fullSize = readU64(buf, offset + 8, name, `size of ${describeHeaderType(htype)} at offset ${at}`);
  if (fullSize < HEADER_SIZE) {
    throw corrupt(name, `invalid ${describeHeaderType(htype)} at offset ${at}: too small (${fullSize})`);
  }
  const limit = maxContentSize(htype);
  if (fullSize - HEADER_SIZE > limit) {
    throw corrupt(
      name,
      `invalid content size (${fullSize - HEADER_SIZE} > ${limit}) of ${describeHeaderType(htype)} at offset ${at}`,
    );
  }
  return { htype, fullSize };
}

/** The checks of pxar's validate_filename; returns a reason or null. */
export function filenameProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'illegal path found (empty)';
  if (bytes.includes(0x2f)) return 'illegal path found (contains slashes, this is a security concern)';
  if (bytes.length === 1 && bytes[0] === 0x2e) return "illegal path found: '.'";
  if (bytes.length === 2 && bytes[0] === 0x2e && bytes[1] === 0x2e) return "illegal path found: '..'";
  if (bytes.includes(0)) return 'illegal path found (contains a zero byte)';
  if (bytes.length > MAX_FILENAME_LEN) return `filename too long (> ${MAX_FILENAME_LEN})`;
  return null;
}

/** FILENAME content: the name and its terminating zero. */
export function parseFilename(content: Buffer, name: string | undefined): Buffer {
  if (content.length === 0 || content[content.length - 1] !== 0) {
    throw corrupt(name, 'illegal path found (missing terminating zero)');
  }
  const fileName = content.subarray(0, content.length - 1);
  const problem = filenameProblem(fileName);
  if (problem !== null) throw corrupt(name, `${problem}: ${showBytes(fileName)}`);
  return fileName;
}

function expectSize(content: Buffer, size: number, what: string, name: string | undefined): void {
  if (content.length !== size) throw corrupt(name, `bad ${what} size: ${content.length} (expected ${size})`);
}

export function parseStat(content: Buffer, name: string | undefined): Stat {
  expectSize(content, STAT_SIZE, 'entry', name);
  const nanos = content.readUInt32LE(32);
  if (nanos >= 1e9) throw corrupt(name, `invalid mtime nanoseconds ${nanos}`);
  return {
    mode: readU64(content, 0, name, 'mode'),
    flags: readU64(content, 8, name, 'flags'),
    uid: content.readUInt32LE(16),
    gid: content.readUInt32LE(20),
    mtime: { secs: Number(content.readBigInt64LE(24)), nanos },
  };
}

/** The old ENTRY layout: mtime as unsigned nanoseconds since the epoch. */
export function parseStatV1(content: Buffer, name: string | undefined): Stat {
  expectSize(content, 32, 'entry (v1)', name);
  const ns = content.readBigUInt64LE(24);
  return {
    mode: readU64(content, 0, name, 'mode'),
    flags: readU64(content, 8, name, 'flags'),
    uid: content.readUInt32LE(16),
    gid: content.readUInt32LE(20),
    mtime: { secs: Number(ns / 1_000_000_000n), nanos: Number(ns % 1_000_000_000n) },
  };
}

export function parseXattr(content: Buffer, name: string | undefined): XAttr {
  const sep = content.indexOf(0);
  if (sep < 0) throw corrupt(name, 'missing value separator in xattr');
  return { name: Buffer.from(content.subarray(0, sep)), value: Buffer.from(content.subarray(sep + 1)) };
}

export function parseAclEntry(content: Buffer, name: string | undefined): AclEntry {
  expectSize(content, ACL_USER_SIZE, 'acl entry', name);
  return { id: readU64(content, 0, name, 'acl id'), permissions: readPerm(content, 8, name) };
}

export function parseAclGroupObj(content: Buffer, name: string | undefined): number {
  expectSize(content, ACL_GROUP_OBJ_SIZE, 'acl group object', name);
  return readPerm(content, 0, name);
}

export function parseAclDefault(content: Buffer, name: string | undefined): AclDefault {
  expectSize(content, ACL_DEFAULT_SIZE, 'acl default', name);
  return {
    userObj: readPerm(content, 0, name),
    groupObj: readPerm(content, 8, name),
    other: readPerm(content, 16, name),
    mask: readPerm(content, 24, name),
  };
}

export function parseDevice(content: Buffer, name: string | undefined): Device {
  expectSize(content, DEVICE_SIZE, 'device', name);
  return {
    major: readU64(content, 0, name, 'device major'),
    minor: readU64(content, 8, name, 'device minor'),
  };
}

export function parseQuotaProjectId(content: Buffer, name: string | undefined): number {
  expectSize(content, QUOTA_PROJID_SIZE, 'quota project id', name);
  return readU64(content, 0, name, 'quota project id');
}

export function parsePayloadRef(content: Buffer, name: string | undefined): { offset: number; size: number } {
  expectSize(content, PAYLOAD_REF_SIZE, 'payload reference', name);
  return {
    offset: readU64(content, 0, name, 'payload offset'),
    size: readU64(content, 8, name, 'payload size'),
  };
}

export function parseHardlink(content: Buffer, name: string | undefined): { offset: number; target: Buffer } {
  if (content.length <= 8) throw corrupt(name, 'bad hardlink entry (too small)');
  const offset = readU64(content, 0, name, 'hardlink offset');
  let end = content.length;
  if (content[end - 1] === 0) end -= 1; // stored with a terminating zero
  return { offset, target: Buffer.from(content.subarray(8, end)) };
}

/** Symlink targets are stored with a terminating zero. */
export function parseSymlink(content: Buffer): Buffer {
  const end = content.length > 0 && content[content.length - 1] === 0 ? content.length - 1 : content.length;
  return Buffer.from(content.subarray(0, end));
}
