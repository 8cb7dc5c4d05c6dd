/**
 * Where scheduled jobs come from: each area contributes a source (task-log rotation now;
 * GC, prune, verify, sync and tape jobs read their config files). The scheduler asks every
 * source once a minute, so config edits take effect without a restart.
 */
import type { ScheduledJob } from '@pbs/tasks';

export type JobSource = () => Promise<ScheduledJob[]> | ScheduledJob[];

export class JobRegistry {
  private readonly sources: JobSource[] = [];

  add(source: JobSource): void {
    this.sources.push(source);
  }

  async all(): Promise<ScheduledJob[]> {
    const lists = await Promise.all(this.sources.map((source) => Promise.resolve(source())));
    return lists.flat();
  }
}
