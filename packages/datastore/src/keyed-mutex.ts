/*
 * In-process mutual exclusion per key (a chunk digest): waiters queue FIFO behind the current
 * holder. Holders of different keys never wait for each other.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for `key` and returns its release function (calling it twice is harmless). */
  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key);
    let unlock: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (unlock = resolve));
    const tail = previous ? previous.then(() => held) : held;
    this.tails.set(key, tail);
    if (previous) await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      unlock();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  /** The release function if `key` is free now, else undefined (never waits). */
  tryAcquire(key: string): (() => void) | undefined {
    if (this.tails.has(key)) return undefined;
    let unlock: () => void = () => undefined;
    const tail = new Promise<void>((resolve) => (unlock = resolve));
    this.tails.set(key, tail);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      unlock();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** number of keys currently held or waited for */
  get size(): number {
    return this.tails.size;
  }
}
