/**
 * Verification of a directory's goodbye table against the entries the sequential decoder saw.
 * pxar's own decoder skips goodbye tables unread; we check them because random access (file
 * browsing, partial restores) depends on them, and a table that lies would send a reader to the
 * wrong bytes. Checked: the tail (marker, offset to the directory's ENTRY, table size), one item
 * per child with the child's name hash, FILENAME offset and size, and the binary-search-tree
 * order.
 */
import { corrupt } from '../errors.js';
import { GOODBYE_ITEM_SIZE, HEADER_SIZE, PXAR_GOODBYE_TAIL_MARKER } from '../format/constants.js';
import { readU64 } from '../format/parse.js';

/** What the decoder recorded about each child of an open directory. */
export class DirChildren {
  readonly hashes: bigint[] = [];
  readonly offsets: number[] = [];
  readonly sizes: number[] = [];
  /** Another valid size, or −1 (a split archive's re-encoded file also counts its content). */
  readonly altSizes: number[] = [];

  add(hash: bigint, offset: number, size: number, altSize = -1): void {
    this.hashes.push(hash);
    this.offsets.push(offset);
    this.sizes.push(size);
    this.altSizes.push(altSize);
  }

  get length(): number {
    return this.hashes.length;
  }
}

function inOrderSorted(table: Buffer, n: number): boolean {
  let prev = -1n;
  const stack: number[] = [];
  let i = 0;
  while (stack.length > 0 || i < n) {
    while (i < n) {
      stack.push(i);
      i = 2 * i + 1;
    }
    const top = stack.pop() as number;
    const hash = table.readBigUInt64LE(top * GOODBYE_ITEM_SIZE);
    if (hash < prev) return false;
    prev = hash;
    i = 2 * top + 2;
  }
  return true;
}

export function verifyGoodbye(
  name: string | undefined,
  table: Buffer,
  goodbyeOffset: number,
  entryOffset: number,
  children: DirChildren,
  dirPath: string,
): void {
  const fail = (detail: string): Error =>
    corrupt(
      name,
      `wrong goodbye table of directory ${JSON.stringify(dirPath)} at offset ${goodbyeOffset}: ${detail}`,
    );
  if (table.length % GOODBYE_ITEM_SIZE !== 0 || table.length < GOODBYE_ITEM_SIZE) {
    throw fail(`invalid size ${table.length}`);
  }
  const n = table.length / GOODBYE_ITEM_SIZE - 1;
  const tail = n * GOODBYE_ITEM_SIZE;
  if (table.readBigUInt64LE(tail) !== PXAR_GOODBYE_TAIL_MARKER) throw fail('no goodbye tail marker found');
  if (readU64(table, tail + 8, name, 'goodbye offset') !== goodbyeOffset - entryOffset) {
    throw fail('tail does not point to the directory entry');
  }
  if (readU64(table, tail + 16, name, 'goodbye size') !== table.length + HEADER_SIZE) {
    throw fail('tail size does not match the table');
  }
  if (n !== children.length) throw fail(`${n} items for ${children.length} entries`);
  const byOffset = new Map<number, number>();
  children.offsets.forEach((offset, index) => byOffset.set(offset, index));
  for (let i = 0; i < n; i++) {
    const at = i * GOODBYE_ITEM_SIZE;
    const rel = readU64(table, at + 8, name, 'goodbye item offset');
    const child = byOffset.get(goodbyeOffset - rel);
    if (child === undefined)
      throw fail(`item ${i} points to offset ${goodbyeOffset - rel}, which is no entry`);
    byOffset.delete(goodbyeOffset - rel);
    if (table.readBigUInt64LE(at) !== children.hashes[child]) throw fail(`item ${i} has the wrong name hash`);
    const size = readU64(table, at + 16, name, 'goodbye item size');
    if (size !== children.sizes[child] && size !== children.altSizes[child]) {
      throw fail(`item ${i} has size ${size}, expected ${children.sizes[child]}`);
    }
  }
  if (!inOrderSorted(table, n)) throw fail('items are not in binary search tree order');
}
