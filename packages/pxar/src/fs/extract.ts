/**
 * `extractArchive`: restores a decoded archive into a directory with its metadata, following the
 * PBS extractor (pbs-client pxar/extract.rs): include patterns select a partial restore (the last
 * matching pattern decides; a directory's decision is inherited by its content), directories are
 * created lazily so only those on the way to selected entries appear, and directory metadata is
 * applied when the directory ends. The archive root's metadata goes to the target directory.
 *
 * What cannot be restored — an entry, an owner, an xattr, an ACL, a flag — is reported in
 * `problems` and the restore goes on; corrupt archives throw CORRUPT_DATA.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { AppError, isAppError } from '@pbs/api-types/errors';
import { mknod } from '@pbs/native';
import type { PxarDecoder } from '../decoder/decoder.js';
import { corrupt } from '../errors.js';
import type { Entry } from '../format/types.js';
import {
  applyFileMetadata,
  applyInitialFlags,
  applyMetadata,
  problemOf,
  type RestoreFeatures,
  type RestoreProblem,
} from './apply-metadata.js';
import { DirStack, type StackDir } from './dir-stack.js';
import { MatchEntry, matchList } from './match-list.js';
import { writeSparse } from './write-file.js';

export type { RestoreFeatures, RestoreProblem } from './apply-metadata.js';

export interface ExtractOptions {
  /** Include patterns for a partial restore (PBS `restore --pattern`); none = everything. */
  patterns?: readonly (string | Buffer)[];
  /** Pre-built match list (used instead of `patterns`). */
  matchList?: readonly MatchEntry[];
  /** Accept directories that already exist in the target (never symlinks in their place). */
  allowExistingDirs?: boolean;
  overwrite?: { files?: boolean; symlinks?: boolean; hardlinks?: boolean };
  /** Which metadata to restore; `owner` defaults to "running as root". */
  features?: Partial<RestoreFeatures>;
  /** Create device nodes, FIFOs and sockets (default true; skipped ones are reported). */
  specialFiles?: boolean;
  /** Throw on the first problem instead of collecting (default false). */
  failFast?: boolean;
  onEntry?: (path: string) => void;
  onProblem?: (problem: RestoreProblem) => void;
  signal?: AbortSignal;
}

export interface ExtractResult {
  entries: number;
  files: number;
  bytes: number;
  /** Everything that could not be restored, with the reason. */
  problems: RestoreProblem[];
  prelude: Buffer | null;
}

const SLASH = Buffer.from('/');
/**
 * Files up to this size are read into memory and written by background writers, several at a
 * time (file creation is the cost of a restore of many small files, and it blocks in the kernel);
 * larger files are streamed in line.
 */
const BUFFERED_FILE = 1024 * 1024;
const MAX_WRITERS = 16;
/** Directories whose metadata waits for the writers (a file created in a dir changes its mtime). */
const MAX_DEFERRED_DIRS = 1024;

function buildMatchList(opts: ExtractOptions): readonly MatchEntry[] {
  if (opts.matchList !== undefined) return opts.matchList;
  return (opts.patterns ?? []).map((p) => MatchEntry.parse(p, 'include'));
}

/** Hardlink targets must stay inside the restore: relative, without '..' components. */
function safeLinkTarget(target: Buffer): boolean {
  if (target.length === 0 || target[0] === 0x2f) return false;
  return !target
    .toString('latin1')
    .split('/')
    .some((part) => part === '..');
}

class Extraction {
  readonly result: ExtractResult = { entries: 0, files: 0, bytes: 0, problems: [], prelude: null };
  private readonly features: RestoreFeatures;
  private ownerSkipped = 0;
  private readonly uid = process.getuid?.() ?? 0;
  private readonly gid = process.getgid?.() ?? 0;
  private readonly writers = new Set<Promise<void>>();
  private writerFailure: { err: unknown } | null = null;
  /** finished directories (innermost first) whose metadata is applied once their files are written */
  private deferredDirs: StackDir[] = [];

  constructor(
    private readonly decoder: PxarDecoder,
    private readonly target: Buffer,
    private readonly opts: ExtractOptions,
  ) {
    this.features = {
      owner: this.uid === 0,
      permissions: true,
      xattrs: true,
      acls: true,
      fcaps: true,
      chattr: true,
      quotaProjectId: true,
      ...opts.features,
    };
  }

  problem(path: string, what: string, err: unknown): void {
    const p = problemOf(path, what, err);
    if (this.opts.failFast)
      throw new AppError('INTERNAL', `restore of ${path}: ${what}: ${p.message}`, { cause: err });
    this.result.problems.push(p);
    this.opts.onProblem?.(p);
  }

  private apply(path: Buffer, entry: Entry): void {
    const st = entry.metadata.stat;
    if (!this.features.owner && (st.uid !== this.uid || st.gid !== this.gid)) this.ownerSkipped++;
    applyMetadata(path, entry.metadata, this.features, (what, err) => this.problem(entry.path, what, err));
  }

  async run(): Promise<ExtractResult> {
    let root = await this.decoder.next();
    while (root !== null && (root.kind.type === 'version' || root.kind.type === 'prelude')) {
      if (root.kind.type === 'prelude') this.result.prelude = root.kind.data;
      root = await this.decoder.next();
    }
    if (root === null || root.kind.type !== 'directory') {
      throw corrupt(undefined, 'pxar archive does not start with a directory entry');
    }
    const list = buildMatchList(this.opts);
    const stack = new DirStack(this.target, root.metadata, this.opts.allowExistingDirs ?? false);
    const matchStack: boolean[] = [];
    let current = list.length === 0;
    for (let entry = await this.decoder.next(); entry !== null; entry = await this.decoder.next()) {
      this.opts.signal?.throwIfAborted();
      if (entry.kind.type === 'goodbye') {
        const dir = stack.pop();
        if (dir?.created) {
          this.deferredDirs.push(dir);
          if (this.deferredDirs.length >= MAX_DEFERRED_DIRS) await this.applyDeferredDirs();
        }
        current = matchStack.pop() ?? true;
        continue;
      }
      const m = matchList(list, entry.rawPath, () => entry.metadata.stat.mode);
      const selected = m === 'include' ? true : m === 'exclude' ? false : current;
      if (entry.kind.type === 'directory') {
        this.enterDirectory(stack, entry, current && m !== 'exclude');
        matchStack.push(current);
        current = selected;
      } else if (selected) {
        this.opts.onEntry?.(entry.path);
        await this.extractOne(stack, entry);
      }
    }
    await this.applyDeferredDirs();
    if (this.ownerSkipped > 0) {
      this.problem(
        '/',
        'owner',
        new Error(`${this.ownerSkipped} entries keep the restoring user as owner (owner restore needs root)`),
      );
    }
    return this.result;
  }

  /** Runs `job` beside the decoding, at most MAX_WRITERS at a time; the first failure is rethrown. */
  private async background(job: () => Promise<void>): Promise<void> {
    this.checkWriters();
    while (this.writers.size >= MAX_WRITERS) await Promise.race(this.writers);
    this.checkWriters();
    const p: Promise<void> = job()
      .catch((err: unknown) => {
        this.writerFailure ??= { err };
      })
      .finally(() => this.writers.delete(p));
    this.writers.add(p);
  }

  private checkWriters(): void {
    if (this.writerFailure !== null) throw this.writerFailure.err;
  }

  private async drainWriters(): Promise<void> {
    while (this.writers.size > 0) await Promise.all([...this.writers]);
    this.checkWriters();
  }

  private async applyDeferredDirs(): Promise<void> {
    await this.drainWriters();
    const dirs = this.deferredDirs;
    this.deferredDirs = [];
    for (const dir of dirs)
      applyMetadata(dir.path, dir.metadata, this.features, (w, e) => this.problem(dir.archivePath, w, e));
  }

  private enterDirectory(stack: DirStack, entry: Entry, create: boolean): void {
    const path = Buffer.concat([this.target, entry.rawPath]);
    try {
      stack.push(path, entry.path, entry.metadata, create);
      if (create) {
        this.result.entries++;
        this.opts.onEntry?.(entry.path);
      }
    } catch (err) {
      this.problem(entry.path, 'directory', err);
    }
  }

  private async extractOne(stack: DirStack, entry: Entry): Promise<void> {
    const what = entry.kind.type;
    try {
      const parent = stack.ensureTop();
      const path = Buffer.concat([parent.path, SLASH, entry.fileName]);
      this.result.entries++;
      await this.extractKind(path, entry, stack.root.path);
    } catch (err) {
      if (isAppError(err) && err.code === 'CORRUPT_DATA') throw err;
      if (this.opts.signal?.aborted) throw err;
      this.problem(entry.path, what === 'device' ? 'device node' : what, err);
    }
  }

  private async extractKind(path: Buffer, entry: Entry, root: Buffer): Promise<void> {
    const kind = entry.kind;
    const st = entry.metadata.stat;
    const overwrite = this.opts.overwrite ?? {};
    switch (kind.type) {
      case 'file':
        return this.extractFile(path, entry, kind.size);
      case 'symlink':
        replaceIfAllowed(overwrite.symlinks, path, () => fs.symlinkSync(kind.target, path));
        return this.apply(path, entry);
      case 'hardlink':
        await this.drainWriters(); // the target may still be on its way
        if (!safeLinkTarget(kind.target))
          throw new Error(`refusing hardlink target ${JSON.stringify(kind.target.toString())}`);
        replaceIfAllowed(overwrite.hardlinks, path, () =>
          fs.linkSync(Buffer.concat([root, SLASH, kind.target]), path),
        );
        return;
      case 'device':
      case 'fifo':
      case 'socket': {
        if (this.opts.specialFiles === false) throw new Error('not restored: special files disabled');
        const dev = kind.type === 'device' ? kind.device : { major: 0, minor: 0 };
        mknod(path, st.mode, dev.major, dev.minor);
        return this.apply(path, entry);
      }
      default:
        return;
    }
  }

  private async extractFile(path: Buffer, entry: Entry, size: number): Promise<void> {
    if (size <= BUFFERED_FILE) return this.extractSmallFile(path, entry, size);
    const c = fs.constants;
    const mode = this.opts.overwrite?.files ? c.O_TRUNC : c.O_EXCL;
    const fd = fs.openSync(path, c.O_CREAT | c.O_WRONLY | c.O_NOFOLLOW | mode, 0o600);
    try {
      if (this.features.chattr) {
        applyInitialFlags(path, entry.metadata.stat.flags, (w, e) => this.problem(entry.path, w, e));
      }
      const written = await writeSparse(fd, this.decoder.contents());
      if (written !== size) throw new Error(`extracted ${written} bytes of a file of ${size} bytes`);
      this.result.files++;
      this.result.bytes += size;
    } finally {
      fs.closeSync(fd);
    }
    this.apply(path, entry);
  }

  /** A small file: read now; created, written and given its metadata by a background writer. */
  private async extractSmallFile(path: Buffer, entry: Entry, size: number): Promise<void> {
    const data = await this.decoder.readContents();
    if (data.length !== size) throw new Error(`extracted ${data.length} bytes of a file of ${size} bytes`);
    const c = fs.constants;
    const flags = c.O_CREAT | c.O_WRONLY | c.O_NOFOLLOW | (this.opts.overwrite?.files ? c.O_TRUNC : c.O_EXCL);
    const report = (what: string, err: unknown) => this.problem(entry.path, what, err);
    await this.background(async () => {
      try {
        const file = await fs.promises.open(path, flags, 0o600);
        try {
          if (this.features.chattr) applyInitialFlags(path, entry.metadata.stat.flags, report);
          if (size > 0) await writeSparse(file.fd, [data], false);
        } finally {
          await file.close();
        }
        this.result.files++;
        this.result.bytes += size;
        const st = entry.metadata.stat;
        if (!this.features.owner && (st.uid !== this.uid || st.gid !== this.gid)) this.ownerSkipped++;
        await applyFileMetadata(path, entry.metadata, this.features, report);
      } catch (err) {
        this.problem(entry.path, 'file', err);
      }
    });
  }
}

/** Creates with `create`; on EEXIST and when allowed, removes the old entry (never a directory) and retries. */
function replaceIfAllowed(allowed: boolean | undefined, path: Buffer, create: () => void): void {
  try {
    create();
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST' || allowed !== true) throw err;
    fs.unlinkSync(path);
    create();
  }
}

/** Restores everything `decoder` yields (from its start) below `targetDir`; see ExtractOptions. */
export async function extractArchive(
  decoder: PxarDecoder,
  targetDir: string,
  opts: ExtractOptions = {},
): Promise<ExtractResult> {
  const target = Buffer.from(nodePath.resolve(targetDir));
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  decoder.enableGoodbyeEntries(true);
  return new Extraction(decoder, target, opts).run();
}
