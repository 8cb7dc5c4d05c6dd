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
  resolve(data: Buffer | Digest): void;
  reject(err: Error): void;
}

/** A chunk held by a worker after its digest was computed: encode it there, or drop it. */
export interface HeldChunk {
  readonly digest: Digest;
  encode(): Promise<Buffer>;
  drop(): void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

interface Reply {
  id: number;
  digest?: Digest;
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
    if (msg.digest !== undefined) p.resolve(msg.digest);
    else if (msg.error !== undefined || !msg.buffer) {
      p.reject(new AppError(msg.code ?? 'INTERNAL', msg.error ?? 'codec worker failed'));
    } else p.resolve(Buffer.from(msg.buffer, msg.offset ?? 0, msg.length));
  }

  private fail(err: Error): void {
    this.failure ??= new AppError('INTERNAL', `codec worker: ${err.message}`, { cause: err });
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  private pick(): Slot {
    return this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  private post(
    slot: Slot,
    job: Record<string, unknown>,
    data?: Buffer,
    owned = false,
  ): Promise<Buffer | Digest> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    let payload: Uint8Array | undefined;
    if (data) {
      // never hand over pooled memory (Node pools allocations under 4 KiB)
      const exclusive =
        owned && data.length >= 4096 && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      payload = exclusive ? data : new Uint8Array(data);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (slot.busy++ === 0) slot.worker.ref();
      slot.worker.postMessage(
        { ...job, id, ...(payload && { data: payload }) },
        payload ? [payload.buffer as ArrayBuffer] : [],
      );
    });
  }

  /** The encoded blob bytes; `owned` hands `data`'s memory to the worker (it is detached). */
  encode(data: Buffer, digest: Digest, owned = false): Promise<Buffer> {
    return this.post(this.pick(), { op: 'encode', digest }, data, owned) as Promise<Buffer>;
  }

  /** The checked plaintext of a downloaded chunk (`raw` is handed over when `owned`). */
  decode(raw: Buffer, digest: Digest, cryptMode: CryptModeName, owned = false): Promise<Buffer> {
    return this.post(this.pick(), { op: 'decode', digest, cryptMode }, raw, owned) as Promise<Buffer>;
  }

  /**
   * Digests a chunk on a worker (keyed when the pool has a key) and keeps it there, so that a
   * known chunk costs no compression and a new one is not sent twice.
   */
  async hold(data: Buffer, owned = false): Promise<HeldChunk> {
    const slot = this.pick();
    const ref = this.nextId;
    const digest = (await this.post(slot, { op: 'hold' }, data, owned)) as Digest;
    return {
      digest,
      encode: () => this.post(slot, { op: 'encode-held', ref, digest }) as Promise<Buffer>,
      drop: () => {
        if (!this.failure) slot.worker.postMessage({ op: 'drop', ref, id: 0 });
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
