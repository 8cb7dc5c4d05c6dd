import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { contentPathComponents, isLocalStateFile, isNamespaceDir } from '../content-path.js';
import type { LocalFsBackend } from '../local-fs-backend.js';
import type {
  ContentEntry,
  ContentFileWriter,
  ContentStat,
  CreateDirOptions,
  WriteFileOptions,
} from '../storage-backend.js';
import type { S3Client } from './s3-client.js';
import type { S3KeyLayout } from './s3-keys.js';

/*
 * Content files of an S3 datastore: the cache store is the view every read and listing uses;
 * each change goes to the bucket first and then to the cache (pbs-formats §11.2: blobs and
 * manifests are uploaded before the local replace), deletions likewise, so a crash in between
 * leaves the bucket ahead of the cache, which an s3-refresh repairs. Namespace directories are
 * persisted as `.namespace` markers; other directories exist through their files. Top-level dot
 * files are datastore-local state and never uploaded.
 */

export class S3Content {
  constructor(
    private readonly cache: LocalFsBackend,
    private readonly client: S3Client,
    private readonly keys: S3KeyLayout,
    private readonly storage: string,
  ) {}

  /** Validates (INVALID_ARGUMENT before anything is touched); true for local-only state. */
  private check(rel: string, allowRoot = false): boolean {
    contentPathComponents(rel, this.storage, allowRoot);
    return isLocalStateFile(rel);
  }

  private async isDir(rel: string): Promise<boolean> {
    return (await this.cache.statFile(rel))?.kind === 'dir';
  }

  async readFile(rel: string): Promise<Buffer> {
    this.check(rel);
    return this.cache.readFile(rel);
  }

  async statFile(rel: string): Promise<ContentStat | undefined> {
    this.check(rel, true);
    return this.cache.statFile(rel);
  }

  async listDir(rel: string): Promise<ContentEntry[]> {
    this.check(rel, true);
    return this.cache.listDir(rel);
  }

  async writeFile(rel: string, data: string | Uint8Array, opts: WriteFileOptions = {}): Promise<void> {
    if (this.check(rel)) return this.cache.writeFile(rel, data, opts);
    const dir = path.posix.dirname(rel);
    if (dir !== '.' && !(await this.isDir(dir))) return this.cache.writeFile(rel, data, opts); // NOT_FOUND
    // exclusive writes (owner files) happen under the group lock: the cache decides
    if (opts.exclusive && (await this.cache.statFile(rel))) return this.cache.writeFile(rel, data, opts);
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    await this.client.putObject(this.keys.content(rel), bytes, { replace: true });
    await this.cache.writeFile(rel, data, opts);
  }

  async removeFile(rel: string): Promise<boolean> {
    if (this.check(rel)) return this.cache.removeFile(rel);
    if ((await this.cache.statFile(rel))?.kind !== 'file') return this.cache.removeFile(rel);
    await this.client.deleteObject(this.keys.content(rel));
    return this.cache.removeFile(rel);
  }

  /** Files under `rel` (a directory), relative to the datastore. */
  private async filesBelow(rel: string): Promise<string[]> {
    const out: string[] = [];
    for (const e of await this.cache.listDir(rel)) {
      const child = `${rel}/${e.name}`;
      if (e.kind === 'dir') out.push(...(await this.filesBelow(child)));
      else if (e.kind === 'file') out.push(child);
    }
    return out;
  }

  /**
   * Files are uploaded under the new name from the cache, then the old objects go, then the
   * cache renames; a directory (a snapshot moved to another namespace) file by file.
   */
  async renameFile(from: string, to: string): Promise<void> {
    const local = this.check(from) && this.check(to);
    this.check(to);
    const st = await this.cache.statFile(from);
    if (local || !st) return this.cache.renameFile(from, to);
    if (st.kind === 'dir') {
      for (const file of await this.filesBelow(from)) {
        const target = `${to}${file.slice(from.length)}`;
        await this.client.putObject(this.keys.content(target), await this.cache.readFile(file), {
          replace: true,
        });
      }
      await this.client.deletePrefix(`${this.keys.content(from)}/`);
    } else {
      await this.client.putObject(this.keys.content(to), await this.cache.readFile(from), { replace: true });
      await this.client.deleteObject(this.keys.content(from));
    }
    await this.cache.renameFile(from, to);
  }

  /** Uploads the `.namespace` marker of every namespace directory this call creates. */
  async createDir(rel: string, opts: CreateDirOptions = {}): Promise<boolean> {
    const parts = contentPathComponents(rel, this.storage);
    if (isLocalStateFile(rel) || (await this.cache.statFile(rel))) return this.cache.createDir(rel, opts);
    const parent = parts.slice(0, -1).join('/');
    if (!opts.parents && parent !== '' && !(await this.isDir(parent))) return this.cache.createDir(rel, opts);
    for (let n = 2; n <= parts.length; n += 2) {
      const dir = parts.slice(0, n).join('/');
      if (isNamespaceDir(dir) && !(await this.isDir(dir))) {
        await this.client.putObject(this.keys.namespaceMarker(dir), Buffer.alloc(0), { replace: true });
      }
    }
    return this.cache.createDir(rel, opts);
  }

  /** The objects below the directory go first (one listing, batched deletes), then the cache. */
  async removeDir(rel: string, opts: { recursive?: boolean } = {}): Promise<boolean> {
    if (this.check(rel)) return this.cache.removeDir(rel, opts);
    const st = await this.cache.statFile(rel);
    if (st?.kind !== 'dir') return this.cache.removeDir(rel, opts);
    if (opts.recursive) {
      await this.client.deletePrefix(`${this.keys.content(rel)}/`);
    } else {
      if ((await this.cache.listDir(rel)).length > 0) return this.cache.removeDir(rel, opts); // not empty
      if (isNamespaceDir(rel)) await this.client.deleteObject(this.keys.namespaceMarker(rel));
    }
    return this.cache.removeDir(rel, opts);
  }

  /** Written in the cache; on commit uploaded from the temp file, then renamed into place. */
  async createFileWriter(rel: string, tempRel: string): Promise<ContentFileWriter> {
    const local = this.check(rel);
    this.check(tempRel);
    const inner = await this.cache.createFileWriter(rel, tempRel);
    if (local) return inner;
    const tempFile = path.join(this.cache.localBase, ...tempRel.split('/'));
    const { client, keys } = this;
    return {
      write: (data, position) => inner.write(data, position),
      truncate: (size) => inner.truncate(size),
      abort: () => inner.abort(),
      async commit() {
        try {
          const data = await fsp.readFile(tempFile);
          await client.putObject(keys.content(rel), data, { replace: true });
        } catch (err) {
          await inner.abort();
          throw err instanceof AppError
            ? err
            : new AppError('INTERNAL', `file '${rel}': ${String(err)}`, { cause: err });
        }
        await inner.commit();
      },
    };
  }
}
