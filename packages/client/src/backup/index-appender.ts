import { toAppError } from '@pbs/api-types/errors';
import type { Digest } from '@pbs/datastore';
import type { H2Session } from '../http/h2-session.js';

/*
 * Appends index entries in order with batched `PUT /{fixed,dynamic}_index` requests
 * ({"wid", "digest-list", "offset-list"}, offsets are chunk start offsets). The server accepts a
 * digest only once it knows the chunk, so an entry waits for its chunk's upload; entries whose
 * uploads are done are sent together, up to `batch` per request. One request at a time keeps the
 * server's append order equal to ours.
 */

/** A chunk the session knows or is uploading; shared by every entry with its digest. */
export interface ChunkTicket {
  done: boolean;
  readonly promise: Promise<void>;
}

export const KNOWN_CHUNK: ChunkTicket = { done: true, promise: Promise.resolve() };

interface Entry {
  readonly offset: number;
  readonly digest: Digest;
  readonly ticket: ChunkTicket;
}

export class IndexAppender {
  private queue: Entry[] = [];
  private head = 0;
  private running: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly h2: H2Session,
    private readonly path: string,
    private readonly wid: number,
    private readonly batch = 1024,
  ) {}

  get failed(): unknown {
    return this.failure;
  }

  push(offset: number, digest: Digest, ticket: ChunkTicket): void {
    this.queue.push({ offset, digest, ticket });
    this.kick();
  }

  /** Resolves when every pushed entry has been appended; rejects with the first failure. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure !== undefined) throw toAppError(this.failure);
  }

  private kick(): void {
    if (this.running || this.failure !== undefined) return;
    this.running = this.run()
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => {
        this.running = undefined;
        if (this.failure === undefined && this.head < this.queue.length) this.kick();
      });
  }

  private async run(): Promise<void> {
    while (this.head < this.queue.length) {
      const first = this.queue[this.head] as Entry;
      if (!first.ticket.done) await first.ticket.promise;
      const digests: Digest[] = [];
      const offsets: number[] = [];
      while (digests.length < this.batch && this.head < this.queue.length) {
        const entry = this.queue[this.head] as Entry;
        if (!entry.ticket.done) break;
        digests.push(entry.digest);
        offsets.push(entry.offset);
        this.head++;
      }
      if (this.head > 65536) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      await this.h2.putJson(this.path, { wid: this.wid, 'digest-list': digests, 'offset-list': offsets });
    }
  }
}
