/**
 * Buffers task events between a producer that must never block (the task logging) and a
 * consumer that pulls at its own pace. Adjacent log events are merged so a slow consumer
 * gets fewer, larger batches.
 */
import type { TaskEvent } from './task-context.js';

export class EventQueue {
  private items: TaskEvent[] = [];
  private wake: (() => void) | undefined;

  push(event: TaskEvent): void {
    const last = this.items.at(-1);
    if (event.kind === 'log' && last?.kind === 'log') last.lines.push(...event.lines);
    else if (event.kind === 'progress' && last?.kind === 'progress') last.progress = event.progress;
    else this.items.push(event.kind === 'log' ? { kind: 'log', lines: [...event.lines] } : event);
    this.wake?.();
  }

  /** The next event, or undefined once the signal aborts. */
  async next(signal?: AbortSignal): Promise<TaskEvent | undefined> {
    while (this.items.length === 0) {
      if (signal?.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal?.removeEventListener('abort', done);
          this.wake = undefined;
          resolve();
        };
        this.wake = done;
        signal?.addEventListener('abort', done, { once: true });
      });
    }
    if (signal?.aborted) return undefined;
    return this.items.shift();
  }
}
