/*
 * A token bucket that lets traffic run into debt (PBS's RateLimiter::register_traffic): every
 * transfer is admitted at once and answered with how long the caller must wait before the
 * next one, so a 4 MiB chunk under a 1 MiB/s limit goes out and the following request waits
 * about 4 s. Time comes from the clock it is given; nothing here sleeps.
 */

export interface Clock {
  now(): number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param rate units per second (bytes, requests)
   * @param burst the most units available at once (default: one second's worth)
   */
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    if (!(rate > 0) || !(burst > 0)) throw new RangeError('token bucket rate and burst must be positive');
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes `units`; returns the milliseconds to wait until the bucket is out of debt (0: none). */
  take(units: number): number {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.rate) / 1000);
    this.tokens -= units;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.rate);
  }
}
