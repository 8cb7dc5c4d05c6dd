/**
 * A position-tracking writer in front of a sink. Small items are batched into one Buffer of up to
 * `batchSize` bytes before they reach the sink (a chunker pays per call); large buffers (file
 * data) pass through without a copy once the batch is flushed. Buffers handed to the sink are
 * never reused or modified afterwards, so a sink may keep them.
 */

/** Receives archive bytes in order; a returned promise applies backpressure. */
export type Sink = (chunk: Buffer) => void | Promise<void>;

export const DEFAULT_BATCH_SIZE = 64 * 1024;

export class Output {
  /** Bytes accepted so far (including those still batched). */
  position = 0;
  private batch: Buffer[] = [];
  private batchBytes = 0;

  constructor(
    private readonly sink: Sink,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {}

  /** Queues a small buffer the caller will not touch again. */
  write(buf: Buffer): void | Promise<void> {
    this.position += buf.length;
    if (buf.length >= this.batchSize) return this.passThrough(buf);
    this.batch.push(buf);
    this.batchBytes += buf.length;
    return this.batchBytes >= this.batchSize ? this.flush() : undefined;
  }

  private async passThrough(buf: Buffer): Promise<void> {
    await this.flush();
    await this.sink(buf);
  }

  /** Hands every batched byte to the sink. */
  async flush(): Promise<void> {
    if (this.batchBytes === 0) return;
    const out =
      this.batch.length === 1 ? (this.batch[0] as Buffer) : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    await this.sink(out);
  }
}
