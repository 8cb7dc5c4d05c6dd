/*
 * Request and traffic counters of one S3 client (PBS's shared request counters, persisted per
 * `<client>-<bucket>-<store>`): requests by HTTP method, bytes sent and received. Every HTTP
 * exchange that got an answer counts, retried ones included, since providers bill those.
 * The server persists `snapshot()` and hands it back through `restore()` after a restart.
 */

export const S3_COUNTED_METHODS = ['GET', 'PUT', 'POST', 'HEAD', 'DELETE'] as const;
export type S3CountedMethod = (typeof S3_COUNTED_METHODS)[number];

export interface S3CounterSnapshot {
  readonly get: number;
  readonly put: number;
  readonly post: number;
  readonly head: number;
  readonly delete: number;
  /** request body bytes sent */
  readonly uploaded: number;
  /** response body bytes received */
  readonly downloaded: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const ZERO: S3CounterSnapshot = { get: 0, put: 0, post: 0, head: 0, delete: 0, uploaded: 0, downloaded: 0 };

export class S3RequestCounters {
  private values: Mutable<S3CounterSnapshot>;

  constructor(initial: Partial<S3CounterSnapshot> = {}) {
    this.values = { ...ZERO };
    this.restore(initial);
  }

  /** Counts one answered request. */
  record(method: string, uploaded: number, downloaded: number): void {
    const key = method.toLowerCase();
    if (key === 'get' || key === 'put' || key === 'post' || key === 'head' || key === 'delete') {
      this.values[key]++;
    }
    this.values.uploaded += Math.max(0, uploaded);
    this.values.downloaded += Math.max(0, downloaded);
  }

  snapshot(): S3CounterSnapshot {
    return { ...this.values };
  }

  /** Sets the counters to a persisted snapshot (missing or invalid fields become 0). */
  restore(snapshot: Partial<S3CounterSnapshot>): void {
    const next: Mutable<S3CounterSnapshot> = { ...ZERO };
    for (const key of Object.keys(ZERO) as (keyof S3CounterSnapshot)[]) {
      const value = snapshot[key];
      next[key] = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
    }
    this.values = next;
  }

  reset(): void {
    this.values = { ...ZERO };
  }
}
