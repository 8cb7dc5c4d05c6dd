import { BuzhashChunker, DEFAULT_AVG_CHUNK_SIZE } from './buzhash-chunker.js';

/*
 * Cuts a byte stream into dynamic chunks (pbs-client ChunkStream). Input buffers arrive in any
 * sizes; a chunk that lies inside one input buffer is handed out as a view (no copy), a chunk that
 * spans buffers is assembled once. Input buffers must not be modified after they are pushed.
 */

export class DynamicChunker {
  private readonly chunker: BuzhashChunker;
  private parts: Buffer[] = [];
  private partsSize = 0;

  constructor(avg: number = DEFAULT_AVG_CHUNK_SIZE) {
    this.chunker = new BuzhashChunker(avg);
  }

  /** Feeds `data`; returns the chunks completed by it, in order. */
  push(data: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < data.length) {
      const cut = this.chunker.scan(data, pos);
      if (cut < 0) {
        this.parts.push(pos === 0 ? data : data.subarray(pos));
        this.partsSize += data.length - pos;
        break;
      }
      out.push(this.take(data.subarray(pos, cut)));
      pos = cut;
    }
    return out;
  }

  /** The remainder as the last chunk, if any. */
  finish(): Buffer | undefined {
    if (this.partsSize === 0) return undefined;
    const last = this.take(undefined);
    this.chunker.reset();
    return last;
  }

  private take(tail: Buffer | undefined): Buffer {
    let chunk: Buffer;
    if (this.parts.length === 0) chunk = tail ?? Buffer.alloc(0);
    else {
      if (tail) this.parts.push(tail);
      chunk =
        this.parts.length === 1
          ? (this.parts[0] as Buffer)
          : Buffer.concat(this.parts, this.partsSize + (tail?.length ?? 0));
    }
    this.parts = [];
    this.partsSize = 0;
    return chunk;
  }
}

/** Async form: chunks of `source` in order. */
export async function* dynamicChunks(
  source: AsyncIterable<Buffer>,
  avg: number = DEFAULT_AVG_CHUNK_SIZE,
): AsyncGenerator<Buffer> {
  const chunker = new DynamicChunker(avg);
  for await (const data of source) yield* chunker.push(data);
  const last = chunker.finish();
  if (last) yield last;
}
