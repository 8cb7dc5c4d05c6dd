/**
 * Reading one entry's metadata items (after its ENTRY header) up to the item that ends it,
 * shared by the sequential decoder and the random-access reader. The item order and duplicate
 * rules are pxar's decoder's (`read_current_item`).
 */
import { corrupt } from '../errors.js';
import {
  HEADER_SIZE,
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
  PXAR_GOODBYE,
  PXAR_HARDLINK,
  PXAR_PAYLOAD,
  PXAR_PAYLOAD_REF,
  PXAR_QUOTA_PROJID,
  PXAR_SYMLINK,
  PXAR_XATTR,
  describeHeaderType,
} from './constants.js';
import {
  parseAclDefault,
  parseAclEntry,
  parseAclGroupObj,
  parseDevice,
  parsePayloadRef,
  parseQuotaProjectId,
  parseStat,
  parseStatV1,
  parseSymlink,
  parseXattr,
  type Header,
} from './parse.js';
import { emptyAcl, type Device, type Metadata } from './types.js';

/** Item-level access to an archive region (a stream or a range of a random-access file). */
export interface ItemSource {
  /** Absolute offset of the next unread byte. */
  readonly position: number;
  /** The next header, or null at the end of the stream/range. */
  readHeader(): Promise<Header | null>;
  /** Exactly n content bytes (may be a view: copy to keep). */
  readContent(n: number): Promise<Buffer>;
}

export type EntryEnd =
  /** Unified archive: `size` content bytes follow at `contentOffset`. */
  | { type: 'payload'; size: number; contentOffset: number }
  /** Split archive: the content is in the payload stream. `itemOffset` is the PAYLOAD_REF's. */
  | { type: 'payload-ref'; offset: number; size: number; itemOffset: number }
  | { type: 'symlink'; target: Buffer }
  | { type: 'device'; device: Device }
  /** A FILENAME or GOODBYE header (already read) follows: a directory, FIFO or socket. */
  | { type: 'next'; header: Header; headerOffset: number }
  /** The range ended after the metadata (random access to a FIFO or socket). */
  | { type: 'eof' };

async function content(src: ItemSource, h: Header): Promise<Buffer> {
  return src.readContent(h.fullSize - HEADER_SIZE);
}

/** Reads the stat of an ENTRY/ENTRY_V1 header already consumed, then the following items. */
export async function readEntryBody(
  src: ItemSource,
  entryHeader: Header,
  name: string | undefined,
  allowEof: boolean,
): Promise<{ metadata: Metadata; end: EntryEnd }> {
  const body = await content(src, entryHeader);
  const stat = entryHeader.htype === PXAR_ENTRY ? parseStat(body, name) : parseStatV1(body, name);
  const metadata: Metadata = { stat, xattrs: [], acl: emptyAcl(), fcaps: null, quotaProjectId: null };
  for (;;) {
    const headerOffset = src.position;
    const h = await src.readHeader();
    if (h === null) {
      if (allowEof) return { metadata, end: { type: 'eof' } };
      throw corrupt(name, `unexpected EOF in entry at offset ${headerOffset}`);
    }
    const end = await readItem(src, h, headerOffset, metadata, name);
    if (end !== null) return { metadata, end };
  }
}

function once<T>(current: T | null, what: string, name: string | undefined): void {
  if (current !== null) throw corrupt(name, `multiple ${what} entries detected`);
}

/** Applies one attribute item to `meta`, or returns the end of the entry. */
async function readItem(
  src: ItemSource,
  h: Header,
  headerOffset: number,
  meta: Metadata,
  name: string | undefined,
): Promise<EntryEnd | null> {
  const acl = meta.acl;
  switch (h.htype) {
    case PXAR_XATTR:
      meta.xattrs.push(parseXattr(await content(src, h), name));
      return null;
    case PXAR_ACL_USER:
      acl.users.push(parseAclEntry(await content(src, h), name));
      return null;
    case PXAR_ACL_GROUP:
      acl.groups.push(parseAclEntry(await content(src, h), name));
      return null;
    case PXAR_ACL_GROUP_OBJ:
      once(acl.groupObj, 'acl group object', name);
      acl.groupObj = parseAclGroupObj(await content(src, h), name);
      return null;
    case PXAR_ACL_DEFAULT:
      once(acl.default, 'acl default', name);
      acl.default = parseAclDefault(await content(src, h), name);
      return null;
    case PXAR_ACL_DEFAULT_USER:
      acl.defaultUsers.push(parseAclEntry(await content(src, h), name));
      return null;
    case PXAR_ACL_DEFAULT_GROUP:
      acl.defaultGroups.push(parseAclEntry(await content(src, h), name));
      return null;
    case PXAR_FCAPS:
      once(meta.fcaps, 'file capability', name);
      meta.fcaps = Buffer.from(await content(src, h));
      return null;
    case PXAR_QUOTA_PROJID:
      once(meta.quotaProjectId, 'quota project id', name);
      meta.quotaProjectId = parseQuotaProjectId(await content(src, h), name);
      return null;
    case PXAR_SYMLINK:
      return { type: 'symlink', target: parseSymlink(await content(src, h)) };
    case PXAR_DEVICE:
      return { type: 'device', device: parseDevice(await content(src, h), name) };
    case PXAR_PAYLOAD:
      return { type: 'payload', size: h.fullSize - HEADER_SIZE, contentOffset: src.position };
    case PXAR_PAYLOAD_REF: {
      const ref = parsePayloadRef(await content(src, h), name);
      return { type: 'payload-ref', offset: ref.offset, size: ref.size, itemOffset: headerOffset };
    }
    case PXAR_FILENAME:
    case PXAR_GOODBYE:
      return { type: 'next', header: h, headerOffset };
    case PXAR_HARDLINK:
      throw corrupt(name, `encountered unexpected hardlink entry at offset ${headerOffset}`);
    default:
      throw corrupt(name, `unexpected entry type: ${describeHeaderType(h.htype)} at offset ${headerOffset}`);
  }
}
