import type { Clock } from '../clock.js';

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(public ms: number) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  /** epoch seconds */
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
}
