import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { StorageBackend } from '../storage-backend.js';

/** A clock the suite moves by hand; implementations must take every time from it. */
export class ManualClock {
  constructor(private ms: number) {}

  now(): number {
    return this.ms;
  }

  set(ms: number): void {
    this.ms = ms;
  }
}

export interface BackendUnderTest {
  readonly backend: StorageBackend;
  /** removes whatever the backend created */
  readonly cleanup?: () => Promise<void>;
}

/**
 * Builds a backend over a new, empty datastore location (no chunk store layout yet) that takes
 * its times from `clock`.
 */
export type MakeBackend = (ctx: { clock: { now(): number } }) => Promise<BackendUnderTest>;

export interface ContractContext {
  readonly backend: StorageBackend;
  readonly clock: ManualClock;
}

/** Arbitrary, stable chunk names for the suite. */
export function digestOf(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}

export async function expectAppError(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'AppError', code });
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** 2023-11-14T22:13:20Z, a time no test run happens at */
export const T0 = 1_700_000_000_000;
