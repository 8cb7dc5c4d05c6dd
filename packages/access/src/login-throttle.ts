/*
 * Failed-login throttling, kept in memory (a restart forgives, as PBS's TFA counters do not
 * survive either). Each key (a user name, a remote address) remembers its recent failures; from
 * the MAX_FAILURES-th failure inside the window on, the key is locked for a delay that doubles
 * with every further failure. While locked, attempts are refused without checking the password.
 */

export interface ThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

interface KeyState {
  failures: number[];
  lockedUntil: number;
}

const MAX_TRACKED_KEYS = 10_000;

export class LoginThrottle {
  private readonly states = new Map<string, KeyState>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly now: () => number,
    opts: ThrottleOptions = {},
  ) {
    this.maxFailures = opts.maxFailures ?? 5;
    this.windowMs = opts.windowMs ?? 15 * 60_000;
    this.baseDelayMs = opts.baseDelayMs ?? 30_000;
    this.maxDelayMs = opts.maxDelayMs ?? 15 * 60_000;
  }

  /** Seconds until the first of `keys` is unlocked, or 0 when none is locked. */
  retryAfterSec(keys: readonly string[]): number {
    const now = this.now();
    const until = Math.max(0, ...keys.map((key) => this.states.get(key)?.lockedUntil ?? 0));
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.now();
    if (this.states.size > MAX_TRACKED_KEYS) this.sweep(now);
    for (const key of keys) {
      const state = this.states.get(key) ?? { failures: [], lockedUntil: 0 };
      state.failures = [...state.failures.filter((t) => now - t < this.windowMs), now];
      const excess = state.failures.length - this.maxFailures;
      if (excess >= 0) {
        state.lockedUntil = now + Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(excess, 30));
      }
      this.states.set(key, state);
    }
  }

  reset(key: string): void {
    this.states.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, state] of this.states) {
      const recent = state.failures.some((t) => now - t < this.windowMs);
      if (!recent && state.lockedUntil <= now) this.states.delete(key);
    }
  }
}
