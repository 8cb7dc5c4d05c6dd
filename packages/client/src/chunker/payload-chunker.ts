import { BuzhashChunker } from './buzhash-chunker.js';

/*
 * The payload stream chunker of split pxar archives (pbs-datastore PayloadChunker, pbs-formats
 * §5.2): the encoder suggests the stream offset where each file's payload starts; a suggestion
 * already passed is dropped, one that would make a chunk smaller than the minimum is dropped;
 * otherwise the chunk ends at the suggestion unless the hash scan cuts earlier (which it does at
 * max at the latest), and the buzhash state is reset. PBS cuts at a suggestion within [min, max]
 * even past hash boundaries when the bytes happen to be buffered already, which makes its cuts
 * depend on buffering; here they depend only on the data and the suggestions (the format allows
 * any cut). Without suggestions this is the dynamic chunker; view/copy rules as chunk-stream.ts.
 */

export class PayloadChunker {
  private readonly chunker: BuzhashChunker;
  private parts: Buffer[] = [];
  private partsSize = 0;
  /** stream offset of the current chunk's first byte */
  private base = 0;
  private readonly suggestions: number[] = [];
  private next = 0;

  constructor(avg: number) {
    this.chunker = new BuzhashChunker(avg);
  }

  /** A file's payload starts at this stream offset (offsets arrive in increasing order). */
  suggest(offset: number): void {
    this.suggestions.push(offset);
  }

  push(data: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < data.length) {
      const at = this.base + this.partsSize;
      while (this.next < this.suggestions.length && (this.suggestions[this.next] as number) < at) this.next++;
      this.compact();
      let limit = data.length;
      let boundary: number | undefined;
      if (this.next < this.suggestions.length) {
        const b = this.suggestions[this.next] as number;
        if (b - this.base < this.chunker.minSize) {
          this.next++;
          continue;
        }
        if (b - at <= data.length - pos) {
          boundary = b;
          limit = pos + (b - at);
        }
      }
      const cut = this.chunker.scan(data, pos, limit);
      if (cut >= 0) {
        out.push(this.take(data.subarray(pos, cut)));
        pos = cut;
      } else if (boundary !== undefined) {
        // no hash cut before the file start: cut there (the scan would have cut at max before)
        this.next++;
        out.push(this.take(data.subarray(pos, limit)));
        this.chunker.reset();
        pos = limit;
      } else {
        this.parts.push(pos === 0 ? data : data.subarray(pos));
        this.partsSize += data.length - pos;
        break;
      }
    }
    return out;
  }

  /**
   * Reused chunks go in here (metadata change detection): cuts whatever is buffered into a
   * chunk (returned; the caller appends it first), then moves past `size` bytes it never sees.
   */
  inject(size: number): Buffer | undefined {
    const last = this.finish();
    this.base += size;
    return last;
  }

  finish(): Buffer | undefined {
    if (this.partsSize === 0) return undefined;
    const last = this.take(Buffer.alloc(0));
    this.chunker.reset();
    return last;
  }

  private compact(): void {
    if (this.next > 1024) {
      this.suggestions.splice(0, this.next);
      this.next = 0;
    }
  }

  private take(tail: Buffer): Buffer {
    const chunk =
      this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail], this.partsSize + tail.length);
    this.base += chunk.length;
    this.parts = [];
    this.partsSize = 0;
    return chunk;
  }
}
