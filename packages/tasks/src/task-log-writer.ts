/**
 * Appends lines to one task's log file through a file handle that stays open while the task
 * runs. Lines get their numbers synchronously; disk writes are batched and strictly ordered.
 */
import { open, type FileHandle } from 'node:fs/promises';

const LOG_FILE_MODE = 0o640;

export class TaskLogWriter {
  private count = 0;
  private pending: string[] = [];
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private failure: Error | null = null;

  private constructor(private readonly handle: FileHandle) {}

  /** Creates the file; fails if it exists, so two tasks can never share a log. */
  static async create(path: string): Promise<TaskLogWriter> {
    return new TaskLogWriter(await open(path, 'ax', LOG_FILE_MODE));
  }

  get lineCount(): number {
    return this.count;
  }

  /** The first write error, if any; later lines are dropped rather than written out of order. */
  get error(): Error | null {
    return this.failure;
  }

  /** Returns the 1-based number of each appended line; nothing is appended once closed. */
  append(lines: string[]): number[] {
    if (this.closed) return [];
    const numbers = lines.map(() => ++this.count);
    this.pending.push(...lines.map((l) => `${l}\n`));
    if (!this.scheduled) {
      this.scheduled = true;
      this.chain = this.chain.then(() => this.writePending());
    }
    return numbers;
  }

  /** Resolves once every line appended so far is in the file. */
  flush(): Promise<void> {
    return this.chain;
  }

  async close(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    await this.chain;
    try {
      await this.handle.datasync();
    } catch (err) {
      this.failure ??= err as Error;
    }
    await this.handle.close();
  }

  private async writePending(): Promise<void> {
    this.scheduled = false;
    const data = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    if (this.failure) return;
    try {
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
    } catch (err) {
      this.failure = err as Error;
    }
  }
}
