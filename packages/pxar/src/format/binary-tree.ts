/**
 * Goodbye tables are sorted arrays permuted into an implicit binary search tree (item i has its
 * smaller child at 2i+1 and its larger at 2i+2), the permutation of casync's camakebst.c that
 * pxar uses. The permutation must be exactly pxar's, or the archive bytes differ.
 */

function copyInner(
  copy: (src: number, dest: number) => void,
  n: number,
  o: number,
  e: number,
  i: number,
): void {
  const p = 2 ** e;
  const t = p + Math.floor(p / 2) - 1;
  const m = n > t ? p - 1 : p - 1 - (t - n);
  copy(o + m, i);
  if (m > 0) copyInner(copy, m, o, e - 1, i * 2 + 1);
  if (m + 1 < n) copyInner(copy, n - m - 1, o + m + 1, e - 1, i * 2 + 2);
}

/** Calls copy(src, dest) for every element: sorted[src] goes to tree[dest]. */
export function binaryTreeCopy(n: number, copy: (src: number, dest: number) => void): void {
  if (n === 0) return;
  // floor(log2(n)); a directory never has 2^32 entries
  copyInner(copy, n, 0, 31 - Math.clz32(n), 0);
}

/** The permutation as an array: result[dest] = src. */
export function binaryTreePermutation(n: number): number[] {
  const out = new Array<number>(n).fill(0);
  binaryTreeCopy(n, (src, dest) => {
    out[dest] = src;
  });
  return out;
}

/**
 * Searches the tree from `start` for an item where cmp(item) is 0 (cmp = sign of searched value
 * minus item), skipping `skip` earlier matches so duplicates (hash collisions) can be visited.
 */
export function binaryTreeSearch<T>(
  tree: readonly T[],
  start: number,
  skip: number,
  cmp: (item: T) => number,
): number | null {
  let i = start;
  while (i < tree.length) {
    const c = cmp(tree[i] as T);
    if (c < 0) {
      i = 2 * i + 1;
    } else if (c > 0) {
      i = 2 * i + 2;
    } else if (skip === 0) {
      return i;
    } else {
      const left = 2 * i + 1;
      return binaryTreeSearch(tree, left, skip - 1, cmp) ?? binaryTreeSearch(tree, left + 1, skip - 1, cmp);
    }
  }
  return null;
}
