/**
 * Persisted S3 request counters (PBS keeps them in lib/s3-statistics/<client>-<bucket>-<store>
 * shared memory): one JSON file per counter key, `{since, counters}`, written atomically. The
 * live S3RequestCounters objects are registered here; `flush()` writes those that changed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { replaceFileAtomic } from '@pbs/config';
import { S3RequestCounters, type S3CounterSnapshot } from '@pbs/storage';
import type { Clock } from '@pbs/tasks';

export interface PersistedCounters {
  /** epoch seconds: when counting started (first use or last reset) */
  since: number;
  counters: S3CounterSnapshot;
}

interface Live {
  since: number;
  counters: S3RequestCounters;
  written: string;
}

/** `<endpoint>-<bucket>[-<store>]`, PBS's counter id */
export function counterKey(endpoint: string, bucket?: string, store?: string): string {
  return [endpoint, bucket, store].filter((part) => part !== undefined && part !== '').join('-');
}

export class S3StatisticsStore {
  private readonly live = new Map<string, Live>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
    private readonly flushIntervalMs = 15_000,
  ) {}

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  private async readFile(key: string): Promise<PersistedCounters | undefined> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.file(key), 'utf8')) as Partial<PersistedCounters>;
      if (typeof parsed.since !== 'number' || typeof parsed.counters !== 'object') return undefined;
      return { since: parsed.since, counters: new S3RequestCounters(parsed.counters).snapshot() };
    } catch {
      return undefined;
    }
  }

  /** Live counters for a key, continuing from the persisted (or still live) values. */
  async attach(key: string): Promise<S3RequestCounters> {
    const stored = await this.read(key);
    const counters = new S3RequestCounters(stored?.counters);
    this.adopt(key, counters, stored);
    return counters;
  }

  /**
   * Registers counters some client already counts into (built from `read(key)`), replacing a
   * previous registration of the key (a reopened datastore continues from its values).
   */
  adopt(key: string, counters: S3RequestCounters, stored?: PersistedCounters): void {
    const previous = this.live.get(key);
    const since = stored?.since ?? previous?.since ?? Math.floor(this.clock.now() / 1000);
    this.live.set(key, { since, counters, written: previous?.written ?? JSON.stringify(stored ?? null) });
    this.startTimer();
  }

  /** Current values: live if attached, else persisted, else undefined. */
  async read(key: string): Promise<PersistedCounters | undefined> {
    const live = this.live.get(key);
    if (live) return { since: live.since, counters: live.counters.snapshot() };
    return this.readFile(key);
  }

  async reset(key: string): Promise<void> {
    const live = this.live.get(key);
    const since = Math.floor(this.clock.now() / 1000);
    if (live) {
      live.counters.reset();
      live.since = since;
    }
    await this.write(key, { since, counters: new S3RequestCounters().snapshot() });
  }

  async remove(key: string): Promise<void> {
    this.live.delete(key);
    await fs.rm(this.file(key), { force: true });
  }

  private async write(key: string, value: PersistedCounters): Promise<void> {
    const text = JSON.stringify(value);
    await fs.mkdir(this.dir, { recursive: true });
    await replaceFileAtomic(this.file(key), `${text}\n`, { mode: 0o640 });
    const live = this.live.get(key);
    if (live) live.written = text;
  }

  /** Writes every live counter set that changed since its last write. */
  async flush(): Promise<void> {
    for (const [key, live] of this.live) {
      const value = { since: live.since, counters: live.counters.snapshot() };
      if (JSON.stringify(value) !== live.written) await this.write(key, value);
    }
  }

  private startTimer(): void {
    if (this.timer !== undefined || this.flushIntervalMs <= 0) return;
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.flushIntervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
