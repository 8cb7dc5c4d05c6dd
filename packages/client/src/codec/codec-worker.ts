/**
 * Worker thread body for CodecPool: DataBlob encoding (zstd level 1, then AES-256-GCM with the
 * session key), digests of held chunks (encoded later or dropped when the server knows them),
 * and chunk decoding (CRC, decrypt, decompress, digest check) off the main thread.
 * Jobs {id, op, data?, digest?, cryptMode?, ref?} in; {id, buffer, offset, length}, {id, digest}
 * or {id, error, code} out; buffers travel as transfers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '@pbs/api-types/errors';
import { CryptConfig, DataBlob, sha256Digest, type Digest } from '@pbs/datastore';
import { decodeChunk, type CryptModeName } from './decode-chunk.js';

interface Job {
  id: number;
  op: 'encode' | 'decode' | 'hold' | 'encode-held' | 'drop';
  data?: Uint8Array;
  digest?: string;
  cryptMode?: CryptModeName;
  /** the id of a held chunk (encode-held, drop) */
  ref?: number;
}

const init = workerData as { key?: Uint8Array; compress: boolean };
const crypt = init.key ? CryptConfig.fromKey(init.key) : undefined;
const port = parentPort;
/** chunks whose digest was sent, waiting for encode-held or drop */
const held = new Map<number, Buffer>();

function encode(data: Buffer, digest: string | undefined): Buffer {
  return DataBlob.encode(data, { ...(crypt && { crypt }), compress: init.compress, what: `chunk ${digest}` })
    .raw;
}

function take(ref: number | undefined): Buffer {
  const data = held.get(ref ?? 0);
  held.delete(ref ?? 0);
  if (!data) throw new Error(`no held chunk ${ref}`);
  return data;
}

function run(job: Job): Buffer | string | undefined {
  if (job.op === 'drop') {
    held.delete(job.ref ?? 0);
    return undefined;
  }
  if (job.op === 'encode-held') return encode(take(job.ref), job.digest);
  if (!job.data) throw new Error(`${job.op}: no data`);
  const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.length);
  if (job.op === 'hold') {
    held.set(job.id, data);
    return crypt ? crypt.computeDigest(data) : sha256Digest(data);
  }
  if (job.op === 'decode') return decodeChunk(data, job.digest as Digest, job.cryptMode ?? 'none', crypt);
  return encode(data, job.digest);
}

port?.on('message', (job: Job) => {
  try {
    const out = run(job);
    if (out === undefined) return;
    if (typeof out === 'string') {
      port.postMessage({ id: job.id, digest: out });
      return;
    }
    // buffers under 4 KiB may live in Node's shared pool: those are copied; larger ones own
    // their memory (or share it only with the received job data) and are transferred
    const own = out.length < 4096 ? new Uint8Array(out) : out;
    port.postMessage({ id: job.id, buffer: own.buffer, offset: own.byteOffset, length: own.length }, [
      own.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err), code });
  }
});
