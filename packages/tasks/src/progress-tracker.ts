/**
 * Merges a task's partial progress updates and derives what the task did not say itself:
 * fraction from bytes or items, rate (bytes/s over a sliding window) and ETA.
 */
import type { TaskProgress } from '@pbs/api-types/domain';
import type { Clock } from './clock.js';

interface Sample {
  t: number;
  bytes: number;
}

const DEFAULT_WINDOW_MS = 10_000;

export class ProgressTracker {
  private raw: Partial<TaskProgress> = {};
  private touched = false;
  private samples: Sample[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly startMs: number,
    private readonly windowMs = DEFAULT_WINDOW_MS,
  ) {}

  update(update: Partial<TaskProgress>): TaskProgress {
    this.touched = true;
    for (const [key, value] of Object.entries(update) as Array<[keyof TaskProgress, unknown]>) {
      if (value !== undefined) (this.raw as Record<string, unknown>)[key] = value;
    }
    if (update.bytesDone !== undefined) this.addSample(update.bytesDone);
    return this.current() ?? { fraction: null };
  }

  /** null until the task reported anything */
  current(): TaskProgress | null {
    if (!this.touched) return null;
    const raw = this.raw;
    const out: TaskProgress = { fraction: this.fraction() };
    for (const key of ['phase', 'bytesDone', 'bytesTotal', 'itemsDone', 'itemsTotal'] as const) {
      if (raw[key] !== undefined) (out as Record<string, unknown>)[key] = raw[key];
    }
    const rate = raw.rate ?? this.derivedRate();
    if (rate !== undefined) out.rate = rate;
    const eta = raw.etaSeconds ?? this.derivedEta(out.fraction, rate);
    if (eta !== undefined) out.etaSeconds = eta;
    return out;
  }

  private fraction(): number | null {
    const { fraction, bytesDone, bytesTotal, itemsDone, itemsTotal } = this.raw;
    if (fraction !== undefined) return fraction === null ? null : clamp01(fraction);
    if (bytesTotal && bytesDone !== undefined) return clamp01(bytesDone / bytesTotal);
    if (itemsTotal && itemsDone !== undefined) return clamp01(itemsDone / itemsTotal);
    return null;
  }

  private addSample(bytes: number): void {
    const t = this.clock.now();
    const last = this.samples.at(-1);
    // A smaller count means a new phase started counting from zero: old samples no longer apply.
    if (last && bytes < last.bytes) this.samples = [];
    this.samples.push({ t, bytes });
    const cutoff = t - this.windowMs;
    // Two samples are kept even when older: a rate over a pause beats no rate at all.
    while (this.samples.length > 2 && (this.samples[0]?.t ?? t) < cutoff) this.samples.shift();
  }

  private derivedRate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t <= first.t) return undefined;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }

  private derivedEta(fraction: number | null, rate: number | undefined): number | undefined {
    const { bytesDone, bytesTotal } = this.raw;
    if (bytesTotal !== undefined && bytesDone !== undefined && rate !== undefined && rate > 0) {
      return Math.max(0, (bytesTotal - bytesDone) / rate);
    }
    if (fraction === null || fraction <= 0) return undefined;
    if (fraction >= 1) return 0;
    const elapsed = (this.clock.now() - this.startMs) / 1000;
    return elapsed > 0 ? (elapsed * (1 - fraction)) / fraction : undefined;
  }
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}
