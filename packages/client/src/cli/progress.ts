import cliProgress from 'cli-progress';
import type { Writable } from 'node:stream';
import { formatHumanByte } from '@pbs/datastore';

/*
 * The progress line on a terminal (stderr): one bar per archive with bytes processed, uploaded
 * and the rate. Off the terminal nothing is drawn (log lines and the final statistics remain).
 */

export interface ProgressLine {
  update(label: string, done: number, total: number | undefined, extra?: string): void;
  stop(): void;
}

const NONE: ProgressLine = { update: () => undefined, stop: () => undefined };

export function createProgressLine(stream: Writable & { isTTY?: boolean }, enabled: boolean): ProgressLine {
  if (!enabled || stream.isTTY !== true) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{label} {bar} {doneH}{totalH} {rate}/s {extra}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let current = '';
  let active = false;
  return {
    update(label, done, total, extra = '') {
      if (label !== current) {
        if (active) bar.stop();
        bar.start(total ?? 0, 0, { label, doneH: '0 B', totalH: '', rate: '0 B', extra });
        active = true;
        current = label;
        started = performance.now();
      }
      const secs = (performance.now() - started) / 1000;
      if (total !== undefined) bar.setTotal(total);
      bar.update(total !== undefined ? done : 0, {
        label,
        doneH: formatHumanByte(done),
        totalH: total !== undefined ? ` / ${formatHumanByte(total)}` : '',
        rate: formatHumanByte(secs > 0 ? done / secs : 0),
        extra,
      });
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
