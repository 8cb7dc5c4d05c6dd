/**
 * Reading a regular file's content for the encoder: exactly the size the archive entry declared
 * (PBS pads a file that shrank while being read with zeros and cuts one that grew, with a
 * warning). Small files are read synchronously (a thread-pool round trip costs more than the
 * copy); large ones asynchronously with one read in flight ahead, so disk I/O overlaps the
 * chunking and hashing downstream. Every chunk is a fresh Buffer: the encoder passes it on.
 */
import fs from 'node:fs';
import { promisify } from 'node:util';

const readAsync = promisify(fs.read);

export const SMALL_FILE = 256 * 1024;
export const READ_BLOCK = 1024 * 1024;

export interface ContentResult {
  /** Bytes that were missing at the end and replaced by zeros (the file shrank). */
  padded: number;
}

function readBlockSync(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

async function readBlock(fd: number, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await readAsync(fd, buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/**
 * Feeds `size` bytes of the open file to `write`, reading from offset 0. Returns how many bytes
 * had to be padded because the file ended early.
 */
export async function feedFile(
  fd: number,
  size: number,
  write: (chunk: Buffer) => Promise<void>,
  blockSize = READ_BLOCK,
): Promise<ContentResult> {
  let position = 0;
  if (size <= SMALL_FILE) {
    const buf = readBlockSync(fd, size, 0);
    if (buf.length > 0) await write(buf);
    position = buf.length;
  } else {
    let next: Promise<Buffer> | null = readBlock(fd, Math.min(blockSize, size), 0);
    while (next !== null) {
      const buf: Buffer = await next;
      const end = position + buf.length;
      // start the next read before handing this block downstream
      next = buf.length > 0 && end < size ? readBlock(fd, Math.min(blockSize, size - end), end) : null;
      if (buf.length > 0) await write(buf);
      position = end;
      if (buf.length === 0) break;
    }
  }
  const padded = size - position;
  for (let left = padded; left > 0; left -= blockSize) await write(Buffer.alloc(Math.min(left, blockSize)));
  return { padded };
}
