import { describe, expect, it } from 'vitest';
import { createByteLimiter, unlimited } from './rate-limit.js';

/** A clock that only moves when the limiter sleeps. */
function manualTime(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: { now: () => now },
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
    elapsed: () => now - start,
  };
}

describe('byte limiter (token bucket)', () => {
  it('is a no-op without a rate', async () => {
    const t = manualTime();
    const limiter = createByteLimiter({}, t.clock, t.sleep);
    expect(limiter).toBe(unlimited);
    await limiter.consume(1e12);
    expect(t.sleeps).toEqual([]);
  });

  it('lets the burst through at once, then holds the average to the rate', async () => {
    const t = manualTime();
    const limiter = createByteLimiter({ rate: '1MiB', burst: '2MiB' }, t.clock, t.sleep);
    await limiter.consume(2 * 1048576); // the burst: no wait
    expect(t.sleeps).toEqual([]);
    await limiter.consume(1048576); // one second of debt
    expect(t.sleeps).toEqual([1000]);
    for (let i = 0; i < 8; i++) await limiter.consume(512 * 1024);
    // 7 MiB in total at 1 MiB/s with a 2 MiB burst: 5 s of virtual time
    expect(t.elapsed()).toBe(5000);
  });

  it('refills while idle, up to the burst only', async () => {
    const t = manualTime();
    const limiter = createByteLimiter({ rate: 1000, burst: 1000 }, t.clock, t.sleep);
    await limiter.consume(1000);
    t.advance(60_000); // a long pause refills no more than the burst
    await limiter.consume(1000);
    expect(t.sleeps).toEqual([]);
    await limiter.consume(500);
    expect(t.sleeps).toEqual([500]);
  });

  it('defaults the burst to one second of rate and accepts decimal units', async () => {
    const t = manualTime();
    const limiter = createByteLimiter({ rate: '2KB' }, t.clock, t.sleep);
    expect(limiter.rate).toBe(2000);
    await limiter.consume(2000);
    await limiter.consume(4000);
    expect(t.sleeps).toEqual([2000]);
  });
});
