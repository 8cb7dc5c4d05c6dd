import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '@pbs/api-types/errors';
import type { Digest } from '@pbs/datastore';
import type { CryptModeName } from './decode-chunk.js';

/*
 * A small pool of worker threads for the client's per-byte work: encoding chunk blobs (zstd,
 * AES-GCM) on backup and decoding them (CRC, decrypt, decompress, digest check) on restore.
 * Digests of new data stay on the main thread, so known chunks cost no round trip. Jobs go to
 * the least busy worker; data is copied once into a transferable buffer unless the caller hands
 * over ownership. Idle workers are unref'd and never keep the process alive.
 */

interface Pending {
  resolve(data: Buffer): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

interface Reply {
  id: number;
  buffer?: ArrayBuffer;
  offset?: number;
  length?: number;
  error?: string;
  code?: ErrorCode;
}

/**
 * The worker script: the built `.js` beside this module; when running from TypeScript sources
 * (`node --import tsx`), a bootstrap that registers tsx in the worker first (workers do not
 * inherit the loader hooks).
 */
function workerScript(): { script: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts'))
    return { script: new URL('./codec-worker.js', import.meta.url), eval: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  const target = new URL('./codec-worker.ts', import.meta.url).href;
  return {
    script: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`,
    eval: true,
  };
}

export interface CodecPoolOptions {
  readonly size: number;
  /** the raw 32-byte key for encrypted chunks */
  readonly key?: Uint8Array;
  readonly compress?: boolean;
}

export class CodecPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(opts: CodecPoolOptions) {
    const { script, eval: isEval } = workerScript();
    for (let i = 0; i < Math.max(1, opts.size); i++) {
      const worker = new Worker(script, {
        eval: isEval,
        workerData: { ...(opts.key && { key: Buffer.from(opts.key) }), compress: opts.compress ?? true },
      });
      const slot: Slot = { worker, busy: 0 };
      worker.on('message', (msg: Reply) => this.onReply(slot, msg));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`codec worker exited with code ${code}`));
      });
      worker.unref();
      this.slots.push(slot);
    }
  }

  private onReply(slot: Slot, msg: Reply): void {
    slot.busy--;
    if (slot.busy === 0) slot.worker.unref();
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (!p) return;
    if (msg.error !== undefined || !msg.buffer)
      p.reject(new AppError(msg.code ?? 'INTERNAL', msg.error ?? 'codec worker failed'));
    else p.resolve(Buffer.from(msg.buffer, msg.offset ?? 0, msg.length));
  }

  private fail(err: Error): void {
    this.failure ??= new AppError('INTERNAL', `codec worker: ${err.message}`, { cause: err });
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  private run(job: Record<string, unknown>, data: Buffer, owned: boolean): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    // never hand over pooled memory (Node pools allocations under 4 KiB)
    const exclusive =
      owned && data.length >= 4096 && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    const payload = exclusive ? data : new Uint8Array(data);
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (slot.busy++ === 0) slot.worker.ref();
      slot.worker.postMessage({ ...job, id, data: payload }, [payload.buffer as ArrayBuffer]);
    });
  }

  /** The encoded blob bytes; `owned` hands `data`'s memory to the worker (it is detached). */
  encode(data: Buffer, digest: Digest, owned = false): Promise<Buffer> {
    return this.run({ op: 'encode', digest }, data, owned);
  }

  /** The checked plaintext of a downloaded chunk (`raw` is handed over when `owned`). */
  decode(raw: Buffer, digest: Digest, cryptMode: CryptModeName, owned = false): Promise<Buffer> {
    return this.run({ op: 'decode', digest, cryptMode }, raw, owned);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
