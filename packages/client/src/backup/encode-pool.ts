import { Worker } from 'node:worker_threads';
import { AppError } from '@pbs/api-types/errors';

/*
 * A small pool of worker threads that encode chunk blobs (compression and encryption are the
 * client's most expensive per-byte steps; digests stay on the main thread, so known chunks cost
 * no round trip). Jobs go to the least busy worker; data is copied once into a transferable
 * buffer unless the caller hands over ownership. Workers are unref'd: an idle pool never keeps
 * the process alive.
 */

interface Pending {
  resolve(raw: Buffer): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

/**
 * The worker script: the built `.js` beside this module; when running from TypeScript sources
 * (`node --import tsx`), a bootstrap that registers tsx in the worker first (workers do not
 * inherit the loader hooks).
 */
function workerScript(): { script: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts'))
    return { script: new URL('./encode-worker.js', import.meta.url), eval: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  const target = new URL('./encode-worker.ts', import.meta.url).href;
  return {
    script: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`,
    eval: true,
  };
}

export interface EncodePoolOptions {
  readonly size: number;
  /** the raw 32-byte key when chunks are encrypted */
  readonly key?: Uint8Array;
  readonly compress?: boolean;
}

export class EncodePool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(opts: EncodePoolOptions) {
    const { script, eval: isEval } = workerScript();
    for (let i = 0; i < Math.max(1, opts.size); i++) {
      const worker = new Worker(script, {
        eval: isEval,
        workerData: { ...(opts.key && { key: Buffer.from(opts.key) }), compress: opts.compress ?? true },
      });
      const slot: Slot = { worker, busy: 0 };
      worker.on(
        'message',
        (msg: { id: number; buffer?: ArrayBuffer; offset?: number; length?: number; error?: string }) => {
          slot.busy--;
          this.refresh(slot);
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          if (!p) return;
          if (msg.error !== undefined || !msg.buffer)
            p.reject(new AppError('INTERNAL', msg.error ?? 'encode worker failed'));
          else p.resolve(Buffer.from(msg.buffer, msg.offset ?? 0, msg.length));
        },
      );
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`encode worker exited with code ${code}`));
      });
      worker.unref();
      this.slots.push(slot);
    }
  }

  private refresh(slot: Slot): void {
    if (slot.busy > 0) slot.worker.ref();
    else slot.worker.unref();
  }

  private fail(err: Error): void {
    this.failure ??= new AppError('INTERNAL', `encode worker: ${err.message}`, { cause: err });
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  /** The encoded blob bytes; `owned` hands `data`'s memory to the worker (it is detached). */
  encode(data: Buffer, digest: string, owned = false): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    const exclusive = owned && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    const payload = exclusive ? data : new Uint8Array(data);
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.busy++;
      this.refresh(slot);
      slot.worker.postMessage({ id, data: payload, digest }, [payload.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
