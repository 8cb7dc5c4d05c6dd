/**
 * Payload reuse for `metadata` change detection (pbs-client pxar/create.rs): a regular file whose
 * metadata and size equal its entry in the previous metadata archive (.mpxar) is not read again;
 * its payload is referenced in the previous payload stream (.ppxar), whose chunks are injected
 * whole into the new payload stream. The walker caches entries while consecutive reusable files
 * form one contiguous range of the previous stream, then decides per range: if the injected
 * chunks would carry more than 10 % padding (bytes no reused file covers), the range's files are
 * re-encoded instead (CHUNK_PADDING_THRESHOLD). The last chunk of a range is kept back when the
 * next range may start in it, so it is injected once.
 *
 * This module has the format-side pieces: the previous archive's file table, the previous
 * payload index lookup (lookup_dynamic_entries) and the metadata comparison. Where chunks go is
 * the caller's business (`inject`): it must cut its payload chunker at the current position and
 * append the chunks to the new index as known chunks.
 */
import type { Entry, Metadata } from '../format/types.js';

/** PBS CHUNK_PADDING_THRESHOLD: the most padding a reused range may carry. */
export const CHUNK_PADDING_THRESHOLD = 0.1;
/** Cached entries before a range is flushed even though it could grow (lookahead cache size). */
export const MAX_CACHED_ENTRIES = 4096;
/** Size of a pxar item header: a reused file's range includes its PAYLOAD header. */
const HEADER = 16;

/** A chunk of the previous payload index, to be injected whole. */
export interface ReusableChunk {
  readonly digest: string;
  readonly size: number;
  /** end offset in the previous payload stream: with the digest, the index entry's identity */
  readonly end: number;
  /** bytes of the chunk no reused file covers */
  padding: number;
}

/** The previous payload index (.ppxar.didx): cumulative chunk ends and digests. */
export interface PreviousPayloadIndex {
  readonly count: number;
  chunkEnd(pos: number): number;
  digest(pos: number): string;
}

export interface PayloadRange {
  start: number;
  end: number;
}

export interface ReuseStats {
  filesReused: number;
  bytesReused: number;
  filesReencoded: number;
  bytesReencoded: number;
  chunksInjected: number;
  bytesInjected: number;
  /** ranges re-encoded because their padding exceeded the threshold */
  rangesRejected: number;
}

/** What the walker needs to reuse payloads; see PayloadReuser for the standard one. */
export interface PayloadReuse {
  /** The previous payload range of an unchanged regular file (`rel`: path below the root). */
  lookup(rel: Buffer, meta: Metadata, size: number): PayloadRange | null;
  /** The chunks covering `range`, with the padding before its start and after its end. */
  chunksFor(range: PayloadRange): { chunks: ReusableChunk[]; startPadding: number; endPadding: number };
  /** Appends whole chunks at the current payload position (the encoder's output is flushed). */
  inject(chunks: readonly ReusableChunk[]): Promise<void>;
  readonly stats: ReuseStats;
}

function sameBuffers(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}

/** pxar's Metadata equality (stat, xattrs, ACL, fcaps, quota project id). */
export function sameMetadata(a: Metadata, b: Metadata): boolean {
  const s = a.stat;
  const t = b.stat;
  if (
    s.mode !== t.mode ||
    s.flags !== t.flags ||
    s.uid !== t.uid ||
    s.gid !== t.gid ||
    s.mtime.secs !== t.mtime.secs ||
    s.mtime.nanos !== t.mtime.nanos
  )
    return false;
  if (a.xattrs.length !== b.xattrs.length) return false;
  for (let i = 0; i < a.xattrs.length; i++) {
    const x = a.xattrs[i];
    const y = b.xattrs[i];
    if (!x || !y || !x.name.equals(y.name) || !x.value.equals(y.value)) return false;
  }
  return (
    JSON.stringify(a.acl) === JSON.stringify(b.acl) &&
    sameBuffers(a.fcaps, b.fcaps) &&
    a.quotaProjectId === b.quotaProjectId
  );
}

interface PreviousFile {
  meta: Metadata;
  size: number;
  offset: number;
}

/** The regular files of a previous metadata archive, by path, with their payload offsets. */
export class PreviousMetadataArchive {
  private readonly files = new Map<string, PreviousFile>();
  /** PBS: offsets of reused files must increase strictly (older archives may break this) */
  private lastOffset = -1;

  /** Reads the decoder's entries (a v2 metadata archive; no payload stream needed). */
  static async load(entries: AsyncIterable<Entry>): Promise<PreviousMetadataArchive> {
    const archive = new PreviousMetadataArchive();
    for await (const e of entries) {
      if (e.kind.type === 'file' && e.kind.payloadOffset !== null) {
        archive.files.set(e.rawPath.toString('latin1'), {
          meta: e.metadata,
          size: e.kind.size,
          offset: e.kind.payloadOffset,
        });
      }
    }
    return archive;
  }

  get fileCount(): number {
    return this.files.size;
  }

  /** is_reusable_entry: same metadata and size, and an offset past the last one reused. */
  lookup(rel: Buffer, meta: Metadata, size: number): PayloadRange | null {
    const prev = this.files.get(`/${rel.toString('latin1')}`);
    if (!prev || prev.size !== size || !sameMetadata(prev.meta, meta)) return null;
    if (prev.offset <= this.lastOffset) return null;
    this.lastOffset = prev.offset;
    return { start: prev.offset, end: prev.offset + size + HEADER };
  }
}

/** lookup_dynamic_entries: the chunks of `index` covering `range`, and the padding around it. */
export function chunksCovering(
  index: PreviousPayloadIndex,
  range: PayloadRange,
): { chunks: ReusableChunk[]; startPadding: number; endPadding: number } {
  // binary search for the first chunk ending after range.start
  let lo = 0;
  let hi = index.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index.chunkEnd(mid) <= range.start) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= index.count) {
    throw new RangeError(`payload range ${range.start}..${range.end} lies past the previous index`);
  }
  let prevEnd = lo === 0 ? 0 : index.chunkEnd(lo - 1);
  const startPadding = range.start - prevEnd;
  let endPadding = 0;
  const chunks: ReusableChunk[] = [];
  for (let pos = lo; pos < index.count; pos++) {
    const end = index.chunkEnd(pos);
    chunks.push({ digest: index.digest(pos), size: end - prevEnd, end, padding: 0 });
    if (range.end <= end) {
      endPadding = end - range.end;
      break;
    }
    prevEnd = end;
  }
  if (range.end > index.chunkEnd(index.count - 1)) {
    throw new RangeError(`payload range ${range.start}..${range.end} lies past the previous index`);
  }
  const first = chunks[0];
  const last = chunks[chunks.length - 1];
  if (first) first.padding += startPadding;
  if (last) last.padding += endPadding;
  return { chunks, startPadding, endPadding };
}

export function emptyReuseStats(): ReuseStats {
  return {
    filesReused: 0,
    bytesReused: 0,
    filesReencoded: 0,
    bytesReencoded: 0,
    chunksInjected: 0,
    bytesInjected: 0,
    rangesRejected: 0,
  };
}

/** The standard PayloadReuse over a previous archive, its payload index and an inject callback. */
export class PayloadReuser implements PayloadReuse {
  readonly stats = emptyReuseStats();

  constructor(
    private readonly previous: PreviousMetadataArchive,
    private readonly index: PreviousPayloadIndex,
    private readonly injectChunks: (chunks: readonly ReusableChunk[]) => Promise<void>,
  ) {}

  lookup(rel: Buffer, meta: Metadata, size: number): PayloadRange | null {
    return this.previous.lookup(rel, meta, size);
  }

  chunksFor(range: PayloadRange) {
    return chunksCovering(this.index, range);
  }

  inject(chunks: readonly ReusableChunk[]): Promise<void> {
    return this.injectChunks(chunks);
  }
}

/** Whether two chunks are the same entry of the previous index (not just the same content). */
export function sameIndexedChunk(a: ReusableChunk, b: ReusableChunk): boolean {
  return a.digest === b.digest && a.end === b.end;
}
