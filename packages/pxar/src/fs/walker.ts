/**
 * The directory walk behind `encodeDirectory`, following the PBS client's archiver
 * (pbs-client pxar/create.rs): per directory read `.pxarexclude`, list and match entries against
 * the patterns (last match wins; the stat happens only when a pattern needs the file type), sort
 * by raw name bytes, then encode each entry depth first while reporting it to the catalog.
 * Hardlinks are found by (st_dev, st_ino) of regular files with more than one link; later names
 * become HARDLINK entries pointing to the first. Other mounts are entered but not descended into
 * unless `allFileSystems`; virtual file systems (proc, sysfs, …) never.
 */
import fs, { type BigIntStats } from 'node:fs';
import { AppError } from '@pbs/api-types/errors';
import type { BackupCatalogWriter } from '../catalog/writer.js';
import type { PxarEncoder } from '../encoder/encoder.js';
import { mode } from '../format/constants.js';
import { makeMetadata, type Metadata } from '../format/types.js';
import { generatePxarExcludesCli, parsePxarExclude } from './excludes.js';
import { feedFile } from './file-reader.js';
import { matchList, type MatchEntry } from './match-list.js';
import {
  CHUNK_PADDING_THRESHOLD,
  MAX_CACHED_ENTRIES,
  sameIndexedChunk,
  type PayloadRange,
  type PayloadReuse,
  type ReusableChunk,
} from './payload-reuse.js';
import { readMetadata, type MetadataFeatures } from './read-metadata.js';

export interface WalkWarning {
  path: string;
  message: string;
}

export interface WalkStats {
  entries: number;
  files: number;
  directories: number;
  hardlinks: number;
  bytes: number;
}

export interface WalkContext {
  encoder: PxarEncoder;
  catalog: BackupCatalogWriter | null;
  patterns: MatchEntry[];
  cliPatternCount: number;
  features: MetadataFeatures;
  readExcludeFiles: boolean;
  allFileSystems: boolean;
  entriesMax: number;
  cliFileOwner: { uid: number; gid: number };
  onPayloadBoundary: ((offset: number) => void) | null;
  onEntry: ((path: string) => void) | null;
  /** v2 `metadata` change detection: unchanged files reference the previous payload */
  reuse: PayloadReuse | null;
  warn: (w: WalkWarning) => void;
  signal: AbortSignal | undefined;
}

interface ListEntry {
  name: Buffer;
  rel: Buffer;
  stat: BigIntStats;
}

/**
 * An entry held back while a reuse range is open: a reusable file (its offset relative to the
 * range start) or any other encoder/catalog call, replayed in order when the range is flushed.
 */
type CachedOp =
  | { type: 'ref'; path: Buffer; entry: ListEntry; meta: Metadata; size: number; relOffset: number }
  | { type: 'op'; run: () => Promise<void> | void };

const VIRTUAL_FS_MAGIC = new Set([
  0x42494e4d, 0x63677270, 0x0027e0eb, 0x62656570, 0x64626720, 0x00001cd1, 0xde5e81e4, 0x65735543, 0x958458f6,
  0x19800202, 0x6e667364, 0x00009fa0, 0x6165676c, 0x67596969, 0x73636673, 0xf97cff8c, 0x43415d53, 0x62656572,
]);

export function isVirtualFileSystem(path: Buffer | string): boolean {
  return VIRTUAL_FS_MAGIC.has(Number(fs.statfsSync(path).type));
}

const SLASH = Buffer.from('/');
const join = (a: Buffer, b: Buffer): Buffer => (a.length === 0 ? b : Buffer.concat([a, SLASH, b]));
const errCode = (err: unknown): string | undefined => (err as { code?: string }).code;
const CLI_NAME = Buffer.from('.pxarexclude-cli');
const EXCLUDE_NAME = Buffer.from('.pxarexclude');

/** st_rdev → major/minor (glibc's encoding, as pxar's Device::from_dev_t). */
export function deviceFromRdev(rdev: bigint): { major: number; minor: number } {
  return {
    major: Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & 0xfffff000n)),
    minor: Number((rdev & 0xffn) | ((rdev >> 12n) & 0xffffff00n)),
  };
}

export class Walker {
  readonly stats: WalkStats = { entries: 0, files: 0, directories: 0, hardlinks: 0, bytes: 0 };
  private readonly hardlinks = new Map<string, { rel: Buffer; offset: number }>();
  private entryCounter = 0;
  /** reuse: entries held back, the previous-payload range they cover, the chunk kept back */
  private cache: CachedOp[] = [];
  private range: PayloadRange | null = null;
  private lastChunk: ReusableChunk | null = null;
  /** st_dev of the directory being walked (a change marks a mount point). */
  private currentDev: bigint;

  constructor(
    private readonly ctx: WalkContext,
    rootDev: bigint,
  ) {
    this.currentDev = rootDev;
  }

  private warn(rel: Buffer, message: string): void {
    this.ctx.warn({ path: `/${rel.toString('utf8')}`, message });
  }

  private readExcludes(dir: Buffer, rel: Buffer): void {
    let content: Buffer;
    try {
      content = fs.readFileSync(join(dir, EXCLUDE_NAME));
    } catch (err) {
      if (errCode(err) !== 'ENOENT')
        this.warn(join(rel, EXCLUDE_NAME), `ignoring .pxarexclude: ${(err as Error).message}`);
      return;
    }
    const parsed = parsePxarExclude(content, rel);
    for (const e of parsed.errors) this.warn(join(rel, EXCLUDE_NAME), e);
    if (parsed.sanitized) {
      this.warn(
        join(rel, EXCLUDE_NAME),
        'sanitized exclude pattern: patterns are relative to the backup root and should not contain . or ..',
      );
    }
    this.ctx.patterns.push(...parsed.entries);
  }

  private listDirectory(dir: Buffer, rel: Buffer, names: Buffer[], isRoot: boolean): ListEntry[] {
    const out: ListEntry[] = [];
    for (const name of names) {
      if (isRoot && name.equals(CLI_NAME)) continue;
      const childRel = join(rel, name);
      let stat: BigIntStats | null = null;
      const lstat = (): BigIntStats => (stat ??= fs.lstatSync(join(dir, name), { bigint: true }));
      try {
        if (
          matchList(this.ctx.patterns, Buffer.concat([SLASH, childRel]), () => Number(lstat().mode)) ===
          'exclude'
        )
          continue;
        lstat();
      } catch (err) {
        const code = errCode(err);
        if (code === 'ENOENT') this.warn(childRel, 'file vanished while reading directory');
        else if (code === 'EACCES' || code === 'ESTALE')
          this.warn(childRel, `failed to stat file: ${(err as Error).message}`);
        else throw err;
        continue;
      }
      if (++this.entryCounter > this.ctx.entriesMax) {
        throw new AppError(
          'INVALID_ARGUMENT',
          `exceeded allowed number of file entries (> ${this.ctx.entriesMax})`,
        );
      }
      out.push({ name, rel: childRel, stat: stat as unknown as BigIntStats });
    }
    return out.sort((a, b) => Buffer.compare(a.name, b.name));
  }

  /** Encodes the contents of the directory at `dir` (`rel` relative to the root). */
  async directoryContents(dir: Buffer, rel: Buffer, isRoot: boolean): Promise<void> {
    const counter = this.entryCounter;
    const patternCount = this.ctx.patterns.length;
    const names = fs.readdirSync(dir, { encoding: 'buffer' });
    // only try .pxarexclude where the listing has one (a failed open per directory is costly)
    if (this.ctx.readExcludeFiles && names.some((n) => n.equals(EXCLUDE_NAME))) this.readExcludes(dir, rel);
    const list = this.listDirectory(dir, rel, names, isRoot);
    for (const entry of list) {
      this.ctx.signal?.throwIfAborted();
      this.ctx.onEntry?.(`/${entry.rel.toString('utf8')}`);
      await this.addEntry(dir, entry);
    }
    // PBS appends the CLI patterns as the root's last entry (unified archives only)
    if (isRoot && this.ctx.cliPatternCount > 0 && this.ctx.encoder.formatVersion === 1)
      await this.addCliPatterns();
    this.ctx.patterns.length = patternCount;
    this.entryCounter = counter;
  }

  private async addCliPatterns(): Promise<void> {
    const content = generatePxarExcludesCli(this.ctx.patterns.slice(0, this.ctx.cliPatternCount));
    this.ctx.catalog?.addFile(CLI_NAME, content.length, 0);
    const { uid, gid } = this.ctx.cliFileOwner;
    await this.ctx.encoder.addFile(
      makeMetadata({ mode: mode.IFREG | 0o600, uid, gid }),
      CLI_NAME,
      content.length,
      content,
    );
  }

  private async addEntry(dir: Buffer, entry: ListEntry): Promise<void> {
    const { name, rel, stat } = entry;
    const path = join(dir, name);
    const type = Number(stat.mode) & mode.IFMT;
    if (type === mode.IFREG) return this.addRegular(path, entry);
    const meta = readMetadata(path, stat, this.ctx.features, (what, err) =>
      this.warn(rel, `${what}: ${(err as Error).message}`),
    );
    const { encoder, catalog } = this.ctx;
    this.stats.entries++;
    switch (type) {
      case mode.IFDIR:
        return this.addDirectory(path, entry, meta);
      case mode.IFLNK: {
        let target: Buffer;
        try {
          target = fs.readlinkSync(path, { encoding: 'buffer' });
        } catch (err) {
          if (errCode(err) !== 'ENOENT' && errCode(err) !== 'ESTALE') throw err;
          this.warn(rel, 'file vanished while reading');
          return;
        }
        return this.emit(() => {
          catalog?.addSymlink(name);
          return encoder.addSymlink(meta, name, target);
        });
      }
      case mode.IFSOCK:
        return this.emit(() => {
          catalog?.addSocket(name);
          return encoder.addSocket(meta, name);
        });
      case mode.IFIFO:
        return this.emit(() => {
          catalog?.addFifo(name);
          return encoder.addFifo(meta, name);
        });
      case mode.IFBLK:
      case mode.IFCHR:
        return this.emit(() => {
          if (type === mode.IFBLK) catalog?.addBlockDevice(name);
          else catalog?.addCharDevice(name);
          return encoder.addDevice(meta, name, deviceFromRdev(stat.rdev));
        });
      default:
        throw new AppError(
          'INVALID_ARGUMENT',
          `encountered unknown file type: 0o${type.toString(8)} at /${rel.toString('utf8')}`,
        );
    }
  }

  private openFile(path: Buffer, rel: Buffer): number | null {
    const flags = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NOCTTY;
    try {
      try {
        return fs.openSync(path, flags | fs.constants.O_NOATIME);
      } catch (err) {
        if (errCode(err) !== 'EPERM') throw err; // O_NOATIME needs ownership: retry without
        return fs.openSync(path, flags);
      }
    } catch (err) {
      const code = errCode(err);
      if (code === 'ENOENT') this.warn(rel, 'file vanished while reading');
      else if (code === 'EACCES') this.warn(rel, 'failed to open file: access denied');
      else if (code === 'ESTALE') this.warn(rel, 'stale file handle encountered while reading');
      else throw err;
      return null;
    }
  }

  /** Runs an encoder/catalog call now, or holds it back while a reuse range is open. */
  private async emit(run: () => Promise<void> | void): Promise<void> {
    if (this.cache.length > 0) this.cache.push({ type: 'op', run });
    else await run();
  }

  private async addRegular(path: Buffer, entry: ListEntry): Promise<void> {
    const { name, rel, stat } = entry;
    const key = stat.nlink > 1n ? `${stat.dev}:${stat.ino}` : null;
    const first = key === null ? undefined : this.hardlinks.get(key);
    if (first !== undefined) {
      this.stats.entries++;
      this.stats.hardlinks++;
      return this.emit(() => {
        this.ctx.catalog?.addHardlink(name);
        return this.ctx.encoder.addHardlink(name, first.rel, first.offset);
      });
    }
    const fd = this.openFile(path, rel);
    if (fd === null) return;
    try {
      const meta = readMetadata(
        path,
        stat,
        this.ctx.features,
        (what, err) => this.warn(rel, `${what}: ${(err as Error).message}`),
        fd,
      );
      const size = Number(stat.size);
      const { reuse } = this.ctx;
      if (reuse !== null) {
        if (this.cache.length >= MAX_CACHED_ENTRIES) await this.flushCache(true);
        // hardlinked files are always re-encoded: their first name's offset must be known
        const range = key === null ? reuse.lookup(rel, meta, size) : null;
        if (range !== null) {
          if (this.range !== null && this.range.end !== range.start) await this.flushCache(true);
          this.range ??= { start: range.start, end: range.start };
          this.range.end = range.end;
          this.cache.push({
            type: 'ref',
            path,
            entry,
            meta,
            size,
            relOffset: range.start - this.range.start,
          });
          this.stats.entries++;
          this.stats.files++;
          this.stats.bytes += size;
          return;
        }
        await this.flushCache(false);
        await this.injectLastChunk();
      }
      const offset = await this.encodeFile(fd, entry, meta, size);
      if (reuse !== null) {
        reuse.stats.filesReencoded++;
        reuse.stats.bytesReencoded += size;
      }
      this.stats.entries++;
      this.stats.files++;
      this.stats.bytes += size;
      if (key !== null) this.hardlinks.set(key, { rel, offset });
    } finally {
      fs.closeSync(fd);
    }
  }

  private async encodeFile(fd: number, entry: ListEntry, meta: Metadata, size: number): Promise<number> {
    const { encoder, catalog } = this.ctx;
    catalog?.addFile(entry.name, size, meta.stat.mtime.secs);
    if (encoder.formatVersion === 2) this.ctx.onPayloadBoundary?.(encoder.payloadPosition);
    await encoder.beginFile(meta, entry.name, size);
    const { padded } = await feedFile(fd, size, (chunk) => encoder.writeFileData(chunk));
    if (padded > 0) this.warn(entry.rel, `file size shrunk while reading, ${padded} bytes padded with zeros`);
    return encoder.endFile();
  }

  private async inject(chunks: ReusableChunk[]): Promise<void> {
    const reuse = this.ctx.reuse;
    if (reuse === null || chunks.length === 0) return;
    const size = chunks.reduce((sum, c) => sum + c.size, 0);
    reuse.stats.chunksInjected += chunks.length;
    reuse.stats.bytesInjected += size;
    await this.ctx.encoder.injectPayload(size, () => reuse.inject(chunks));
  }

  private async injectLastChunk(): Promise<void> {
    const last = this.lastChunk;
    this.lastChunk = null;
    if (last !== null) await this.inject([last]);
  }

  /**
   * flush_cached_reusing_if_below_threshold: the open range's chunks are injected and its files
   * become payload references, unless the padding is above the threshold (then they are
   * re-encoded). `keepLastChunk`: the next range may start in the last chunk, so hold it back.
   */
  private async flushCache(keepLastChunk: boolean): Promise<void> {
    const reuse = this.ctx.reuse;
    const range = this.range;
    if (reuse === null || range === null) return this.replay(null);
    const { chunks, startPadding, endPadding } = reuse.chunksFor(range);
    const prev = this.lastChunk;
    this.lastChunk = null;
    let padding = startPadding + endPadding;
    const total = range.end - range.start + padding;
    const first = chunks[0];
    if (first && prev && sameIndexedChunk(prev, first)) padding -= prev.size - prev.padding;
    if (padding / total > CHUNK_PADDING_THRESHOLD) {
      reuse.stats.rangesRejected++;
      this.lastChunk = prev;
      return this.replay(null);
    }
    if (first && prev) {
      if (!sameIndexedChunk(prev, first)) await this.inject([prev]);
      else first.padding -= prev.size - prev.padding;
    }
    await this.replay(this.ctx.encoder.payloadPosition + startPadding);
    if (keepLastChunk) this.lastChunk = chunks.pop() ?? null;
    await this.inject(chunks);
  }

  /** Encodes the held-back entries: files as references at `base + relOffset`, or re-encoded. */
  private async replay(base: number | null): Promise<void> {
    const ops = this.cache;
    this.cache = [];
    this.range = null;
    await this.injectLastChunk();
    const { encoder, catalog } = this.ctx;
    const reuse = this.ctx.reuse;
    for (const op of ops) {
      if (op.type === 'op') {
        await op.run();
        continue;
      }
      const { entry, meta, size } = op;
      if (base !== null) {
        catalog?.addFile(entry.name, size, meta.stat.mtime.secs);
        await encoder.addPayloadRef(meta, entry.name, size, base + op.relOffset);
        if (reuse) {
          reuse.stats.filesReused++;
          reuse.stats.bytesReused += size;
        }
        continue;
      }
      const fd = this.openFile(op.path, entry.rel);
      if (fd === null) continue;
      try {
        await this.encodeFile(fd, entry, meta, size);
        if (reuse) {
          reuse.stats.filesReencoded++;
          reuse.stats.bytesReencoded += size;
        }
      } finally {
        fs.closeSync(fd);
      }
    }
  }

  /** After the last entry of the root: flush what is held back. */
  async finishReuse(): Promise<void> {
    if (this.ctx.reuse === null) return;
    await this.flushCache(false);
    await this.injectLastChunk();
  }

  private async addDirectory(
    path: Buffer,
    entry: ListEntry,
    meta: ReturnType<typeof readMetadata>,
  ): Promise<void> {
    const { name, rel, stat } = entry;
    const { encoder, catalog } = this.ctx;
    let skip = false;
    const parentDev = this.currentDev;
    if (stat.dev !== parentDev) {
      skip = !this.ctx.allFileSystems || isVirtualFileSystem(path);
      if (skip) this.warn(rel, 'skipping mount point');
    }
    this.stats.directories++;
    await this.emit(() => {
      catalog?.startDirectory(name);
      return encoder.createDirectory(name, meta);
    });
    if (!skip) {
      this.currentDev = stat.dev;
      try {
        await this.directoryContents(path, rel, false);
      } finally {
        this.currentDev = parentDev;
      }
    }
    await this.emit(async () => {
      await encoder.finishDirectory();
      await catalog?.endDirectory();
    });
  }
}
