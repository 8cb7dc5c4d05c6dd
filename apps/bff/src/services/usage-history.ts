/**
 * Datastore usage over time, for the Summary chart and the estimated-full date (PBS keeps it in
 * RRD files). One point per hour per store, the last sample of that hour, for a year, in
 * lib/usage/<store>.json, written atomically.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { UsageHistory } from '@pbs/api-types';
import { replaceFileAtomic } from '@pbs/config';
import type { Clock } from '@pbs/tasks';

type Point = [time: number, total: number, used: number];

const HOUR = 3600;
const KEEP_SECONDS = 366 * 24 * HOUR;
const ESTIMATE_WINDOW = 30 * 24 * HOUR;

/** Least-squares line through (time, used); when does it reach `total`? Null if not growing. */
export function estimateFullDate(points: Point[], now: number): number | null {
  const recent = points.filter(([time]) => time >= now - ESTIMATE_WINDOW);
  if (recent.length < 2) return null;
  const n = recent.length;
  const meanT = recent.reduce((s, [t]) => s + t, 0) / n;
  const meanU = recent.reduce((s, [, , u]) => s + u, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, , u] of recent) {
    num += (t - meanT) * (u - meanU);
    den += (t - meanT) ** 2;
  }
  if (den === 0 || num <= 0) return null;
  const slope = num / den;
  const total = recent[recent.length - 1]?.[1] ?? 0;
  const full = meanT + (total - meanU) / slope;
  return Number.isFinite(full) ? Math.max(now, Math.round(full)) : null;
}

export class UsageHistoryStore {
  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
  ) {}

  private file(store: string): string {
    return path.join(this.dir, `${store}.json`);
  }

  private async read(store: string): Promise<Point[]> {
    try {
      return JSON.parse(await fs.readFile(this.file(store), 'utf8')) as Point[];
    } catch {
      return [];
    }
  }

  async record(store: string, sample: { total: number; used: number }): Promise<void> {
    const now = Math.floor(this.clock.now() / 1000);
    const points = (await this.read(store)).filter(([time]) => time >= now - KEEP_SECONDS);
    const last = points[points.length - 1];
    if (last !== undefined && Math.floor(last[0] / HOUR) === Math.floor(now / HOUR)) points.pop();
    points.push([now, sample.total, sample.used]);
    await fs.mkdir(this.dir, { recursive: true });
    await replaceFileAtomic(this.file(store), JSON.stringify(points));
  }

  async history(store: string): Promise<UsageHistory> {
    const points = await this.read(store);
    const now = Math.floor(this.clock.now() / 1000);
    return {
      store,
      points: points.map(([time, total, used]) => ({ time, total, used })),
      estimatedFullDate: estimateFullDate(points, now),
    };
  }

  async forget(store: string): Promise<void> {
    await fs.rm(this.file(store), { force: true });
  }
}
