/** Time source for everything in this package, so tests can move time without sleeping. */
export interface Clock {
  /** milliseconds since the epoch */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Whole epoch seconds, the unit of UPIDs, the archive and calendar events. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
