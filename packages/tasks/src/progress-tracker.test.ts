import { describe, expect, it } from 'vitest';
import { ProgressTracker } from './progress-tracker.js';
import { ManualClock } from './testing/manual-clock.js';

describe('ProgressTracker', () => {
  it('is null until the task reports progress, then merges updates', () => {
    const clock = new ManualClock(0);
    const p = new ProgressTracker(clock, 0);
    expect(p.current()).toBeNull();
    p.update({ phase: 'phase 1', itemsTotal: 10 });
    p.update({ itemsDone: 4 });
    expect(p.current()).toEqual({ fraction: 0.4, phase: 'phase 1', itemsDone: 4, itemsTotal: 10 });
  });

  it('derives rate over the sliding window and the ETA from bytes', () => {
    const clock = new ManualClock(1_000_000);
    const p = new ProgressTracker(clock, 1_000_000, 10_000);
    p.update({ bytesTotal: 10_000, bytesDone: 0 });
    clock.advance(2000);
    p.update({ bytesDone: 200 });
    expect(p.current()).toMatchObject({ fraction: 0.02, rate: 100, etaSeconds: 98 });
    // samples older than the window no longer count: the rate is today's, not the average
    clock.advance(20_000);
    p.update({ bytesDone: 400 });
    clock.advance(1000);
    p.update({ bytesDone: 600 });
    expect(p.current()).toMatchObject({ rate: 200, etaSeconds: 47 });
  });

  it('starts measuring afresh when a new phase counts from zero', () => {
    const clock = new ManualClock(0);
    const p = new ProgressTracker(clock, 0);
    p.update({ bytesDone: 5000 });
    clock.advance(1000);
    p.update({ bytesDone: 10 });
    expect(p.current()?.rate).toBeUndefined();
    clock.advance(1000);
    p.update({ bytesDone: 110 });
    expect(p.current()?.rate).toBe(100);
  });

  it('estimates the remaining time from the fraction and the elapsed time', () => {
    const clock = new ManualClock(10_000);
    const p = new ProgressTracker(clock, 0);
    p.update({ fraction: 0.25 });
    expect(p.current()).toEqual({ fraction: 0.25, etaSeconds: 30 });
    p.update({ fraction: 1 });
    expect(p.current()?.etaSeconds).toBe(0);
  });

  it('keeps what the task says itself', () => {
    const clock = new ManualClock(0);
    const p = new ProgressTracker(clock, 0);
    p.update({ fraction: 0.5, bytesDone: 1, bytesTotal: 100, rate: 7, etaSeconds: 99 });
    expect(p.current()).toEqual({ fraction: 0.5, bytesDone: 1, bytesTotal: 100, rate: 7, etaSeconds: 99 });
    p.update({ fraction: 3 });
    expect(p.current()?.fraction).toBe(1);
  });
});
