// The GC fixture's chunks: chunk i is the 16-byte plaintext 'pbs-bench-gc' + u32le(i), stored as
// an uncompressed DataBlob (28 bytes) under .chunks/<prefix>/<sha256>. Small on purpose: GC
// touches, stats and unlinks files and never reads them, so its cost is per file, not per byte.
// Run as a worker thread, this module writes the chunk files i ≡ worker (mod workers) of a
// range, in digest order (neighbouring prefix directories: about twice the file creation rate).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { crc32 } from 'node:zlib';

const LABEL = 'pbs-bench-gc';
const MAGIC_UNCOMPRESSED = Buffer.from([66, 171, 56, 7, 190, 131, 112, 161]);

export function gcPlain(i) {
  const plain = Buffer.alloc(16);
  plain.write(LABEL, 0, 'latin1');
  plain.writeUInt32LE(i, 12);
  return plain;
}

export function gcDigest(i) {
  return createHash('sha256').update(gcPlain(i)).digest('hex');
}

/**
 * The uncompressed DataBlob of chunk i, built here so that worker threads need not load the
 * engine's native zstd binding; the gc step checks it against DataBlob.encode once.
 */
export function gcBlob(i) {
  const plain = gcPlain(i);
  const raw = Buffer.alloc(12 + plain.length);
  MAGIC_UNCOMPRESSED.copy(raw, 0);
  raw.writeUInt32LE(crc32(plain), 8);
  plain.copy(raw, 12);
  return raw;
}

function writeRange({ chunkDir, from, to, worker, workers }) {
  const items = [];
  for (let i = from + ((worker - (from % workers) + workers) % workers); i < to; i += workers) {
    items.push([gcDigest(i), i]);
  }
  items.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [digest, i] of items) {
    fs.writeFileSync(path.join(chunkDir, digest.slice(0, 4), digest), gcBlob(i));
  }
  return items.length;
}

if (!isMainThread && workerData?.kind === 'gc-chunks') {
  const written = writeRange(workerData);
  parentPort?.postMessage({ written });
}
