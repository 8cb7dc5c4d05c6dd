import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { replaceFileAtomic } from './atomic-file.js';
import { digestOf } from './digest.js';
import { withFileLock } from './file-lock.js';
import { parseSectionConfig, formatSectionConfig } from './section-config.js';
import type { SectionConfigData } from './section-config-data.js';

export interface ConfigCodec<T> {
  parse(text: string, fileName: string): T;
  format(data: T): string;
}

export interface ConfigSnapshot<T> {
  data: T;
  /** sha256 of the file's bytes; '' for a missing file hashes the empty string */
  digest: string;
}

export interface ConfigFileOptions<T> {
  path: string;
  codec: ConfigCodec<T>;
  /** default: `<dir>/.<basename>.lck` */
  lockPath?: string;
  /** default 0o640 */
  mode?: number;
}

interface CacheEntry<T> {
  stamp: string;
  snapshot: ConfigSnapshot<T>;
}

/** Content plus an identity of the file version it came from (same fd, so they agree). */
async function readWithStamp(file: string): Promise<{ text: string; stamp: string }> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return { text: '', stamp: 'missing' };
    throw err;
  }
  try {
    const st = await handle.stat({ bigint: true });
    const text = await handle.readFile('utf8');
    return { text, stamp: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` };
  } finally {
    await handle.close();
  }
}

async function statStamp(file: string): Promise<string> {
  try {
    const st = await fsp.stat(file, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return 'missing';
    throw err;
  }
}

/**
 * One config file with optimistic concurrency: readers get the data and its digest; writers
 * pass the digest they read and the update is refused if the file changed since. Every write
 * happens under the exclusive lock and replaces the file atomically.
 */
export class ConfigFile<T> {
  readonly path: string;
  private readonly fileName: string;
  private readonly codec: ConfigCodec<T>;
  private readonly lockPath: string;
  private readonly mode: number;
  private cache: CacheEntry<T> | undefined;

  constructor(opts: ConfigFileOptions<T>) {
    this.path = opts.path;
    this.fileName = path.basename(opts.path);
    this.codec = opts.codec;
    this.lockPath = opts.lockPath ?? path.join(path.dirname(opts.path), `.${this.fileName}.lck`);
    this.mode = opts.mode ?? 0o640;
  }

  /** A fresh parse the caller may mutate; parse errors propagate and nothing is rewritten. */
  async read(): Promise<ConfigSnapshot<T>> {
    const { text } = await readWithStamp(this.path);
    return { data: this.codec.parse(text, this.fileName), digest: digestOf(text) };
  }

  /**
   * A shared snapshot, re-parsed only when the file changed (one stat per call): for hot paths
   * such as privilege checks. The caller must not mutate it.
   */
  async readCached(): Promise<ConfigSnapshot<T>> {
    if (this.cache && this.cache.stamp === (await statStamp(this.path))) return this.cache.snapshot;
    const { text, stamp } = await readWithStamp(this.path);
    const snapshot = { data: this.codec.parse(text, this.fileName), digest: digestOf(text) };
    this.cache = { stamp, snapshot };
    return snapshot;
  }

  /**
   * Under the exclusive lock: re-read, check `expectedDigest` (when given), let `mutate` change
   * the data in place, write it back atomically. If mutate throws nothing is written; if the
   * formatted text is unchanged the file is not touched.
   */
  async update<R>(
    expectedDigest: string | undefined,
    mutate: (data: T) => R | Promise<R>,
  ): Promise<ConfigSnapshot<T> & { result: R }> {
    // no await before the lock is requested: in-process callers queue in call order
    return withFileLock(this.lockPath, { exclusive: true }, async () => {
      await fsp.mkdir(path.dirname(this.path), { recursive: true });
      const { text: before } = await readWithStamp(this.path);
      const current = { data: this.codec.parse(before, this.fileName), digest: digestOf(before) };
      if (expectedDigest !== undefined && expectedDigest.toLowerCase() !== current.digest) {
        throw new AppError(
          'STALE_REVISION',
          `config '${this.fileName}' was changed since it was read; reload and try again`,
          { details: { file: this.fileName, digest: current.digest } },
        );
      }
      const result = await mutate(current.data);
      const text = this.codec.format(current.data);
      // an update that changes nothing leaves the file (and everyone's caches) alone
      if (text !== before) await replaceFileAtomic(this.path, text, { mode: this.mode });
      return { data: current.data, digest: digestOf(text), result };
    });
  }
}

export const sectionConfigCodec: ConfigCodec<SectionConfigData> = {
  parse: parseSectionConfig,
  format: formatSectionConfig,
};
