/**
 * Worker thread body for EncodePool: DataBlob.encode (zstd level 1, then AES-256-GCM with the
 * session key) off the main thread. Messages: {id, data, digest} in, {id, buffer, offset,
 * length} or {id, error} out; buffers travel as transfers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CryptConfig, DataBlob } from '@pbs/datastore';

interface Job {
  id: number;
  data: Uint8Array;
  digest: string;
}

const init = workerData as { key?: Uint8Array; compress: boolean };
const crypt = init.key ? CryptConfig.fromKey(init.key) : undefined;
const port = parentPort;

port?.on('message', (job: Job) => {
  try {
    const raw = DataBlob.encode(job.data, {
      ...(crypt && { crypt }),
      compress: init.compress,
      what: `chunk ${job.digest}`,
    }).raw;
    // small buffers may live in Node's shared pool: send an exact copy instead of the pool
    const own = raw.length < 4096 ? new Uint8Array(raw) : raw;
    port.postMessage({ id: job.id, buffer: own.buffer, offset: own.byteOffset, length: own.length }, [
      own.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
