import { setTimeout as sleepMs } from 'node:timers/promises';
import { parseHumanByte, type S3EndpointOptions } from './s3-config.js';
import { TokenBucket, type Clock } from './token-bucket.js';

/*
 * The endpoint's limits (put-rate-limit, rate/burst in and out) as token buckets, and the
 * retry schedule (PBS: 3 attempts, backoff 1 s × 3^n). Waiting goes through an injectable
 * sleep, so tests run the same code without real delays.
 */

export interface RetryOptions {
  /** attempts per request, the first included (default 3) */
  readonly attempts?: number;
  /** delay before the second attempt; the n-th retry waits baseDelayMs × 3^(n-1) (default 1000) */
  readonly baseDelayMs?: number;
}

export type Sleep = (ms: number) => Promise<void>;

export const defaultSleep: Sleep = (ms) => sleepMs(ms).then(() => undefined);

export class S3Limits {
  readonly attempts: number;
  readonly baseDelayMs: number;
  private readonly puts: TokenBucket | undefined;
  private readonly down: TokenBucket | undefined;
  private readonly up: TokenBucket | undefined;

  constructor(
    cfg: S3EndpointOptions,
    clock: Clock,
    private readonly sleep: Sleep,
    retry: RetryOptions = {},
  ) {
    this.attempts = Math.max(1, retry.attempts ?? 3);
    this.baseDelayMs = Math.max(0, retry.baseDelayMs ?? 1000);
    const bucket = (rate: number | string | undefined, burst: number | string | undefined) => {
      if (rate === undefined) return undefined;
      const r = parseHumanByte(rate);
      return r > 0
        ? new TokenBucket(r, burst !== undefined ? parseHumanByte(burst) || r : r, clock)
        : undefined;
    };
    this.puts = cfg.putRateLimit ? new TokenBucket(cfg.putRateLimit, cfg.putRateLimit, clock) : undefined;
    this.down = bucket(cfg.rateIn, cfg.burstIn);
    this.up = bucket(cfg.rateOut, cfg.burstOut);
  }

  /** Before a request: the PUT rate and the upload bandwidth. */
  async beforeRequest(method: string, uploadBytes: number): Promise<void> {
    let wait = 0;
    if (method === 'PUT' && this.puts) wait = Math.max(wait, this.puts.take(1));
    if (uploadBytes > 0 && this.up) wait = Math.max(wait, this.up.take(uploadBytes));
    if (wait > 0) await this.sleep(wait);
  }

  /** After a download: the download bandwidth. */
  async afterDownload(bytes: number): Promise<void> {
    const wait = bytes > 0 && this.down ? this.down.take(bytes) : 0;
    if (wait > 0) await this.sleep(wait);
  }

  /** The wait before retry number `retry` (1-based). */
  backoff(retry: number): Promise<void> {
    return this.sleep(this.baseDelayMs * 3 ** (retry - 1));
  }
}
