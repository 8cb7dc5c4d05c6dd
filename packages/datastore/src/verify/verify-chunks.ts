import { AppError } from '@pbs/api-types/errors';
import type { Digest } from '../digest.js';
import type { IndexFile } from '../index-file.js';
import { mapLimit } from '../map-limit.js';
import type { VerifyRunState } from './verify-run-state.js';

/*
 * The chunks of one index (verify_index_chunks): each distinct chunk is read once per task.
 * A chunk that cannot be loaded (missing, CRC) or whose plaintext does not match its digest and
 * length is corrupt: it is renamed to `<digest>.<n>.bad` (so the next backup uploads it again
 * and GC keeps the bad copy only while it is referenced) and counts as an error. A chunk whose
 * encryption does not match the index's crypt mode is an error too, but not corrupt.
 */

const READ_CONCURRENCY = 4;

interface IndexErrors {
  count: number;
  decodedBytes: number;
}

async function markCorrupt(
  run: VerifyRunState,
  digest: Digest,
  message: string,
  errors: IndexErrors,
): Promise<void> {
  run.corrupt.add(digest);
  errors.count++;
  run.ctx.log(message);
  try {
    const renamed = await run.core.chunkStore.renameCorruptChunk(digest);
    if (renamed) run.ctx.log(`corrupt chunk renamed to '${renamed}'`);
  } catch (err) {
    run.ctx.log(`${err instanceof Error ? err.message : String(err)}`);
  }
}

async function verifyChunk(
  run: VerifyRunState,
  digest: Digest,
  size: number,
  cryptMode: 'none' | 'encrypt',
  errors: IndexErrors,
): Promise<void> {
  if (run.verified.has(digest)) return;
  if (run.corrupt.has(digest)) {
    run.ctx.log(`chunk ${digest} was marked as corrupt`);
    errors.count++;
    return;
  }
  let blob;
  try {
    blob = await run.core.chunkStore.loadChunk(digest, { bypassCache: true });
  } catch (err) {
    const missing = err instanceof AppError && err.code === 'NOT_FOUND';
    const reason = missing
      ? `can't verify missing chunk with digest ${digest}`
      : `can't verify chunk, load failed - ${err instanceof Error ? err.message : String(err)}`;
    return markCorrupt(run, digest, reason, errors);
  }
  run.bytesRead += blob.raw.length;
  errors.decodedBytes += size;
  if (blob.cryptMode !== cryptMode) {
    run.ctx.log(`chunk CryptMode ${blob.cryptMode} does not match index CryptMode ${cryptMode}`);
    errors.count++;
  }
  try {
    blob.verifyUnencrypted(size, digest);
  } catch (err) {
    return markCorrupt(run, digest, err instanceof Error ? err.message : String(err), errors);
  }
  run.verified.add(digest);
}

/** Throws CORRUPT_DATA "chunks could not be verified" if any chunk failed. */
export async function verifyIndexChunks(
  run: VerifyRunState,
  index: IndexFile,
  cryptMode: 'none' | 'encrypt',
): Promise<void> {
  const errors: IndexErrors = { count: 0, decodedBytes: 0 };
  const readBefore = run.bytesRead;
  const start = run.core.clock.now();
  const todo: Array<{ digest: Digest; size: number }> = [];
  const queued = new Set<string>();
  for (let pos = 0; pos < index.count; pos++) {
    const info = index.chunkInfo(pos);
    if (!info || run.verified.has(info.digest) || queued.has(info.digest)) continue;
    queued.add(info.digest);
    todo.push({ digest: info.digest, size: info.end - info.start });
  }
  await mapLimit(todo, READ_CONCURRENCY, async ({ digest, size }, i) => {
    if ((i & 63) === 0) run.ctx.signal.throwIfAborted();
    await verifyChunk(run, digest, size, cryptMode, errors);
  });
  const elapsed = Math.max((run.core.clock.now() - start) / 1000, 0);
  const mib = (n: number) => (n / (1024 * 1024)).toFixed(2);
  const speed = (n: number) => (elapsed > 0 ? (n / (1024 * 1024) / elapsed).toFixed(2) : '-');
  const read = run.bytesRead - readBefore;
  run.ctx.log(
    `  verified ${mib(read)}/${mib(errors.decodedBytes)} MiB in ${elapsed.toFixed(2)} seconds, speed ${speed(read)}/${speed(errors.decodedBytes)} MiB/s (${errors.count} errors)`,
  );
  run.report();
  if (errors.count > 0) throw new AppError('CORRUPT_DATA', 'chunks could not be verified');
}
