import { createHash } from 'node:crypto';
import { AppError, toAppError } from '@pbs/api-types/errors';
import { ZERO_CHUNK_SIZE, type Digest } from '@pbs/datastore';
import { isAllZero } from '../chunker/fixed-chunks.js';
import type { H2Session } from '../http/h2-session.js';
import { Semaphore } from '../util/semaphore.js';
import type { ChunkEncoder } from './chunk-encoder.js';
import { IndexAppender, type ChunkTicket } from './index-appender.js';
import { UploadCounters, type UploadStats } from './upload-stats.js';

/*
 * One archive through the backup protocol (BackupWriter::upload_stream): POST *_index, then per
 * chunk digest → known? (previous snapshot or this session: append only) : encode and
 * POST *_chunk with at most `concurrency` uploads in flight; entries are appended in order in
 * batches; finally POST *_close with the count, size and index csum (dynamic: sha256 over
 * end_le64 || digest per entry; fixed: sha256 over the digests).
 */

export type IndexKind = 'fixed' | 'dynamic';

export interface UploadStreamOptions {
  readonly h2: H2Session;
  /** server file name, e.g. `root.pxar.didx` */
  readonly archive: string;
  readonly kind: IndexKind;
  /** image size for fixed indexes (omit for a stream of unknown length) */
  readonly size?: number;
  readonly encoder: ChunkEncoder;
  /** digests the session may reference, shared by all archives of the session */
  readonly known: Map<Digest, ChunkTicket>;
  readonly concurrency?: number;
  readonly onProgress?: (counters: Readonly<UploadCounters>) => void;
  readonly signal?: AbortSignal;
}

function endLe(end: number): Buffer {
  const buf = Buffer.allocUnsafe(8);
  buf.writeUInt32LE(end % 0x1_0000_0000, 0);
  buf.writeUInt32LE(Math.floor(end / 0x1_0000_0000), 4);
  return buf;
}

export async function uploadStream(
  chunks: AsyncIterable<Buffer>,
  opts: UploadStreamOptions,
): Promise<UploadStats> {
  const started = performance.now();
  const { h2, kind, encoder, known } = opts;
  const wid = (await h2.post(`/${kind}_index`, {
    'archive-name': opts.archive,
    ...(opts.size !== undefined && { size: opts.size }),
  })) as number;
  if (!Number.isInteger(wid)) throw new AppError('INTERNAL', `${opts.archive}: server sent no writer id`);
  const appender = new IndexAppender(h2, `/${kind}_index`, wid);
  const counters = new UploadCounters();
  const csum = createHash('sha256');
  const slots = new Semaphore(opts.concurrency ?? 8);
  let failure: unknown;
  const fail = (err: unknown) => {
    failure ??= err;
  };
  const chunkPath = `/${kind}_chunk`;

  for await (const data of chunks) {
    opts.signal?.throwIfAborted();
    if (failure !== undefined || appender.failed !== undefined) break;
    const zero = kind === 'fixed' && data.length === ZERO_CHUNK_SIZE && isAllZero(data);
    const digest = zero ? encoder.zeroChunk().digest : encoder.digest(data);
    let ticket = known.get(digest);
    let offset: number;
    if (ticket) {
      offset = counters.addKnown(data.length);
    } else {
      const blob = zero ? encoder.zeroChunk().blob : encoder.encode(data, digest);
      offset = counters.addNew(data.length, blob.raw.length);
      await slots.acquire();
      const size = data.length;
      const sent = h2
        .upload(chunkPath, { wid, digest, size, 'encoded-size': blob.raw.length }, blob.raw)
        .then(() => {
          newTicket.done = true;
          counters.sentBytes += size;
          opts.onProgress?.(counters);
        })
        .finally(() => slots.release());
      const newTicket: ChunkTicket = { done: false, promise: sent };
      sent.catch(fail);
      known.set(digest, newTicket);
      ticket = newTicket;
    }
    if (zero) counters.zeroChunks++;
    if (kind === 'dynamic') csum.update(endLe(offset + data.length));
    csum.update(Buffer.from(digest, 'hex'));
    appender.push(offset, digest, ticket);
    if (ticket.done) {
      counters.sentBytes += data.length;
      opts.onProgress?.(counters);
    }
  }
  await appender.drain().catch(fail);
  if (failure !== undefined) {
    const err = toAppError(failure);
    throw new AppError(err.code, `${opts.archive}: ${err.message}`, { cause: err });
  }
  const csumHex = csum.digest('hex');
  await h2.post(`/${kind}_close`, {
    wid,
    'chunk-count': counters.chunkCount,
    size: counters.size,
    csum: csumHex,
  });
  return counters.finish(opts.archive, csumHex, performance.now() - started);
}
