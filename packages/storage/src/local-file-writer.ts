import type { FileHandle } from 'node:fs/promises';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { translating } from './fs-errors.js';
import { syncDirectory } from './local-atomic-write.js';
import type { ContentFileWriter } from './storage-backend.js';

export interface LocalFileWriterOptions {
  readonly sync: boolean;
  /** set atime and mtime (epoch seconds) before the file becomes visible */
  readonly timeSec?: () => number | undefined;
  /** names the file in messages */
  readonly what: string;
}

/** Random-access writes into a temp file that `commit` renames over the target. */
export class LocalFileWriter implements ContentFileWriter {
  private handle: FileHandle | undefined;

  private constructor(
    handle: FileHandle,
    private readonly target: string,
    private readonly temp: string,
    private readonly opts: LocalFileWriterOptions,
  ) {
    this.handle = handle;
  }

  static async open(target: string, temp: string, opts: LocalFileWriterOptions): Promise<LocalFileWriter> {
    const handle = await translating(opts.what, () => fsp.open(temp, 'w+', 0o644));
    return new LocalFileWriter(handle, target, temp, opts);
  }

  private open(): FileHandle {
    if (!this.handle) throw new AppError('INTERNAL', `${this.opts.what}: writer is already closed`);
    return this.handle;
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    const handle = this.open();
    await translating(this.opts.what, async () => {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
        done += bytesWritten;
      }
    });
  }

  async truncate(size: number): Promise<void> {
    const handle = this.open();
    await translating(this.opts.what, () => handle.truncate(size));
  }

  async commit(): Promise<void> {
    const handle = this.open();
    await translating(this.opts.what, async () => {
      const timeSec = this.opts.timeSec?.();
      if (timeSec !== undefined) await handle.utimes(timeSec, timeSec);
      if (this.opts.sync) await handle.sync();
      this.handle = undefined;
      await handle.close();
      await fsp.rename(this.temp, this.target);
      if (this.opts.sync) await syncDirectory(path.dirname(this.target));
    });
  }

  async abort(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await translating(this.opts.what, () => fsp.rm(this.temp, { force: true }));
  }
}
