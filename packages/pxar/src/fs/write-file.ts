/**
 * Writing restored file content sparsely, as PBS's `sparse_copy`: aligned 4 KiB blocks of zeros
 * are skipped (holes) instead of written, and the file is extended to its size at the end when
 * it ends in a hole.
 */
import fs from 'node:fs';
import { promisify } from 'node:util';

const writeAsync = promisify(fs.write);
const ftruncateAsync = promisify(fs.ftruncate);
const BLOCK = 4096;
const ZERO = Buffer.alloc(BLOCK);
/** Writes up to this size go synchronously: a page-cache copy is cheaper than a pool round trip. */
const SYNC_WRITE = 1024 * 1024;

async function writeAll(fd: number, buf: Buffer, position: number, sync: boolean): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    done +=
      sync && buf.length <= SYNC_WRITE
        ? fs.writeSync(fd, buf, done, buf.length - done, position + done)
        : (await writeAsync(fd, buf, done, buf.length - done, position + done)).bytesWritten;
  }
}

/**
 * Consumes `chunks` into the open file; returns the number of bytes received. `syncSmallWrites`
 * (default) writes up to 1 MiB on the calling thread; off, every write goes to the thread pool
 * (for writers running side by side, see extract.ts).
 */
export async function writeSparse(
  fd: number,
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  syncSmallWrites = true,
): Promise<number> {
  let position = 0;
  let endsInHole = false;
  for await (const chunk of chunks) {
    let runStart = -1; // start (in chunk) of the current run of data to write
    let at = 0;
    while (at < chunk.length) {
      // blocks follow the file's 4 KiB alignment, so holes line up with file system blocks
      const blockEnd = Math.min(chunk.length, at + BLOCK - ((position + at) % BLOCK));
      const isZero = blockEnd - at === BLOCK && chunk.subarray(at, blockEnd).equals(ZERO);
      if (isZero && runStart >= 0) {
        await writeAll(fd, chunk.subarray(runStart, at), position + runStart, syncSmallWrites);
        runStart = -1;
      } else if (!isZero && runStart < 0) {
        runStart = at;
      }
      endsInHole = isZero;
      at = blockEnd;
    }
    if (runStart >= 0) await writeAll(fd, chunk.subarray(runStart), position + runStart, syncSmallWrites);
    position += chunk.length;
  }
  if (endsInHole) {
    if (syncSmallWrites) fs.ftruncateSync(fd, position);
    else await ftruncateAsync(fd, position);
  }
  return position;
}
