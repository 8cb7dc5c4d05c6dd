import fs from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { AppError } from '@pbs/api-types/errors';
import type { IndexFile } from '@pbs/datastore';
import { isAllZero } from '../chunker/fixed-chunks.js';
import type { BackupReader } from './backup-reader.js';
import { readChunks, type ChunkReaderOptions } from './chunk-reader.js';

/*
 * Image (and raw archive) restore: the index's chunks in order into a new file or a stream.
 * Into a file the result is sparse: zero chunks (by digest, not even downloaded, or by content)
 * are skipped and the file is extended to its size at the end. The target must not exist (as PBS,
 * create_new).
 */

export interface RestoreProgress {
  (doneBytes: number, totalBytes: number): void;
}

export interface RestoreIndexOptions extends ChunkReaderOptions {
  readonly onProgress?: RestoreProgress;
  readonly signal?: AbortSignal;
}

export async function restoreIndexToFile(
  reader: BackupReader,
  index: IndexFile,
  target: string,
  opts: RestoreIndexOptions,
): Promise<{ bytes: number; holes: number }> {
  let file: fs.FileHandle;
  try {
    file = await fs.open(target, 'wx');
  } catch (err) {
    throw new AppError(
      'ALREADY_EXISTS',
      `unable to create target file '${target}' - ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  let holes = 0;
  let done = 0;
  try {
    for await (const chunk of readChunks(reader, index, opts)) {
      opts.signal?.throwIfAborted();
      if (chunk.zero || isAllZero(chunk.data)) holes += chunk.data.length;
      else {
        let off = 0;
        while (off < chunk.data.length) {
          const { bytesWritten } = await file.write(
            chunk.data,
            off,
            chunk.data.length - off,
            chunk.start + off,
          );
          off += bytesWritten;
        }
      }
      done += chunk.data.length;
      opts.onProgress?.(done, index.indexBytes);
    }
    await file.truncate(index.indexBytes);
  } finally {
    await file.close();
  }
  return { bytes: done, holes };
}

/** Everything in order into `out` (stdout), zeros included. */
export async function restoreIndexToStream(
  reader: BackupReader,
  index: IndexFile,
  out: Writable,
  opts: RestoreIndexOptions,
): Promise<{ bytes: number }> {
  let done = 0;
  for await (const chunk of readChunks(reader, index, opts)) {
    opts.signal?.throwIfAborted();
    if (!out.write(chunk.data)) {
      await new Promise<void>((resolve, reject) => {
        out.once('drain', resolve);
        out.once('error', reject);
      });
    }
    done += chunk.data.length;
    opts.onProgress?.(done, index.indexBytes);
  }
  return { bytes: done };
}
