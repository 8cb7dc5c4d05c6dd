/**
 * Worker thread body for CodecPool: DataBlob encoding (zstd level 1, then AES-256-GCM with the
 * session key) and chunk decoding (CRC, decrypt, decompress, digest check) off the main thread.
 * Jobs {id, op, data, digest, cryptMode} in, {id, buffer, offset, length} or {id, error, code}
 * out; buffers travel as transfers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '@pbs/api-types/errors';
import { CryptConfig, DataBlob, type Digest } from '@pbs/datastore';
import { decodeChunk, type CryptModeName } from './decode-chunk.js';

interface Job {
  id: number;
  op: 'encode' | 'decode';
  data: Uint8Array;
  digest: string;
  cryptMode?: CryptModeName;
}

const init = workerData as { key?: Uint8Array; compress: boolean };
const crypt = init.key ? CryptConfig.fromKey(init.key) : undefined;
const port = parentPort;

function run(job: Job): Buffer {
  const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.length);
  if (job.op === 'decode') return decodeChunk(data, job.digest as Digest, job.cryptMode ?? 'none', crypt);
  return DataBlob.encode(data, {
    ...(crypt && { crypt }),
    compress: init.compress,
    what: `chunk ${job.digest}`,
  }).raw;
}

port?.on('message', (job: Job) => {
  try {
    const out = run(job);
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
