/**
 * A directory's goodbye table as pxar writes it: the children's items sorted by name hash and
 * permuted into binary-search-tree order, offsets relative to the table start, then the tail
 * (marker, distance back to the directory's ENTRY, size of the whole GOODBYE item).
 */
import { binaryTreeCopy } from '../format/binary-tree.js';
import {
  GOODBYE_ITEM_SIZE,
  HEADER_SIZE,
  PXAR_GOODBYE,
  PXAR_GOODBYE_TAIL_MARKER,
} from '../format/constants.js';
import { writeHeader, writeU64 } from '../format/items.js';

export interface GoodbyeItem {
  hash: bigint;
  /** Absolute offset of the child's FILENAME. */
  offset: number;
  size: number;
}

/** The GOODBYE item for `items`, written at `goodbyeOffset` for the ENTRY at `entryOffset`. */
export function goodbyeTable(
  children: readonly GoodbyeItem[],
  goodbyeOffset: number,
  entryOffset: number,
): Buffer {
  const items = children.slice().sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const n = items.length;
  const contentSize = (n + 1) * GOODBYE_ITEM_SIZE;
  const buf = Buffer.allocUnsafe(HEADER_SIZE + contentSize);
  writeHeader(buf, PXAR_GOODBYE, contentSize, 0);
  binaryTreeCopy(n, (src, dest) => {
    const it = items[src] as GoodbyeItem;
    const at = HEADER_SIZE + dest * GOODBYE_ITEM_SIZE;
    buf.writeBigUInt64LE(it.hash, at);
    writeU64(buf, goodbyeOffset - it.offset, at + 8);
    writeU64(buf, it.size, at + 16);
  });
  const tail = HEADER_SIZE + n * GOODBYE_ITEM_SIZE;
  buf.writeBigUInt64LE(PXAR_GOODBYE_TAIL_MARKER, tail);
  writeU64(buf, goodbyeOffset - entryOffset, tail + 8);
  writeU64(buf, HEADER_SIZE + contentSize, tail + 16);
  return buf;
}
