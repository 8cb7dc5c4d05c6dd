/*
 * In-process readers-writer queue per lock path. flock alone would make waiters of the same
 * process spin on EWOULDBLOCK against each other; the gate lets them wait on a promise instead,
 * in arrival order, so only one of them at a time competes with other processes.
 */

interface Waiter {
  exclusive: boolean;
  grant: () => void;
}

export class ProcessGate {
  private readers = 0;
  private writer = false;
  private readonly queue: Waiter[] = [];

  get idle(): boolean {
    return this.readers === 0 && !this.writer && this.queue.length === 0;
  }

  /** Resolves true once granted, false if `signal` fired first (the wait is then withdrawn). */
  enter(exclusive: boolean, signal: AbortSignal): Promise<boolean> {
    if (this.queue.length === 0 && this.compatible(exclusive)) {
      this.take(exclusive);
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        exclusive,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(true);
        },
      };
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        this.wake();
        resolve(false);
      };
      this.queue.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  leave(exclusive: boolean): void {
    if (exclusive) this.writer = false;
    else this.readers--;
    this.wake();
  }

  private compatible(exclusive: boolean): boolean {
    return exclusive ? this.readers === 0 && !this.writer : !this.writer;
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.writer = true;
    else this.readers++;
  }

  private wake(): void {
    for (let head = this.queue[0]; head && this.compatible(head.exclusive); head = this.queue[0]) {
      this.queue.shift();
      this.take(head.exclusive);
      head.grant();
    }
  }
}
