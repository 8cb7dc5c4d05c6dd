import { parseHumanByte, TokenBucket, type Clock } from '@pbs/storage';

/*
 * Bandwidth limits of a sync (rate-in/burst-in for pulls, rate-out/burst-out for pushes; PBS
 * RateLimiter): a token bucket on bytes that lets a transfer go out at once and makes the next
 * one wait until the debt is paid. Time and sleeping are injected, so tests move a manual clock
 * instead of waiting.
 */

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RateLimitOptions {
  /** HumanByte per second, e.g. '10MiB'; unset: unlimited */
  readonly rate?: string | number | undefined;
  /** HumanByte; default: one second of `rate` */
  readonly burst?: string | number | undefined;
}

export interface ByteLimiter {
  /** Accounts `bytes` and waits while the bucket is in debt. */
  consume(bytes: number, signal?: AbortSignal): Promise<void>;
  /** the configured rate in bytes per second, or undefined */
  readonly rate: number | undefined;
}

export const unlimited: ByteLimiter = { consume: () => Promise.resolve(), rate: undefined };

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function createByteLimiter(
  opts: RateLimitOptions,
  clock: Clock,
  sleep: Sleep = realSleep,
): ByteLimiter {
  if (opts.rate === undefined) return unlimited;
  const rate = parseHumanByte(opts.rate);
  if (rate <= 0) return unlimited;
  const burst = opts.burst !== undefined ? Math.max(1, parseHumanByte(opts.burst)) : rate;
  const bucket = new TokenBucket(rate, burst, clock);
  return {
    rate,
    async consume(bytes, signal) {
      const wait = bucket.take(bytes);
      if (wait > 0) await sleep(wait, signal);
    },
  };
}
