/*
 * GC phase 1's cache of digests whose atime was already updated in this run (PBS LruCache with
 * gc-cache-capacity entries): a chunk shared by many snapshots is touched once, not once per
 * index. A Map keeps insertion order, so re-inserting a hit moves it to the young end.
 */
export class DigestLru {
  private readonly map = new Map<string, true>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  /** true if `digest` was present (a hit); inserts it either way */
  touch(digest: string): boolean {
    if (this.map.delete(digest)) {
      this.map.set(digest, true);
      this.hits++;
      return true;
    }
    this.misses++;
    this.map.set(digest, true);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    return false;
  }
}
