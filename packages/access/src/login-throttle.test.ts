import { describe, it, expect } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

function setup() {
  let now = 1_000_000;
  const throttle = new LoginThrottle(() => now);
  return { throttle, advance: (ms: number) => (now += ms) };
}

describe('LoginThrottle', () => {
  it('locks a key after the 5th failure, with a delay that doubles on each further failure', () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 4; i++) throttle.recordFailure(['user:a']);
    expect(throttle.retryAfterSec(['user:a'])).toBe(0);
    throttle.recordFailure(['user:a']);
    expect(throttle.retryAfterSec(['user:a'])).toBe(30);
    advance(30_000);
    expect(throttle.retryAfterSec(['user:a'])).toBe(0);
    throttle.recordFailure(['user:a']);
    expect(throttle.retryAfterSec(['user:a'])).toBe(60);
    advance(60_000);
    throttle.recordFailure(['user:a']);
    expect(throttle.retryAfterSec(['user:a'])).toBe(120);
  });

  it('forgets failures older than the window', () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 4; i++) throttle.recordFailure(['addr:1']);
    advance(15 * 60_000);
    throttle.recordFailure(['addr:1']);
    expect(throttle.retryAfterSec(['addr:1'])).toBe(0);
  });

  it('caps the delay at 15 minutes', () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 12; i++) {
      throttle.recordFailure(['user:a']);
      advance(1000);
    }
    expect(throttle.retryAfterSec(['user:a'])).toBeLessThanOrEqual(15 * 60);
    expect(throttle.retryAfterSec(['user:a'])).toBeGreaterThan(14 * 60);
  });

  it('reports the longest lock among the keys, and reset clears one key only', () => {
    const { throttle } = setup();
    for (let i = 0; i < 6; i++) throttle.recordFailure(['user:a', 'addr:1']);
    throttle.recordFailure(['user:b', 'addr:1']);
    expect(throttle.retryAfterSec(['user:b'])).toBe(0);
    expect(throttle.retryAfterSec(['user:b', 'addr:1'])).toBe(120);
    throttle.reset('user:a');
    expect(throttle.retryAfterSec(['user:a'])).toBe(0);
    expect(throttle.retryAfterSec(['addr:1'])).toBe(120);
  });
});
