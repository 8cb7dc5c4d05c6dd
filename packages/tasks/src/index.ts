/**
 * @pbs/tasks: worker tasks, the task archive, calendar events and job scheduling.
 *
 * Concept: every background operation runs as a worker task with a PBS-syntax UPID, a log file,
 * progress and an AbortSignal (TaskManager). The log dir holds, as in PBS (pbs-formats §9):
 *   <XX>/<UPID>     one log per task, XX = pstart & 0xFF; lines '<RFC 3339 local time>: <message>',
 *                   the last one 'TASK OK' | 'TASK WARNINGS: n' | 'TASK ERROR: <message>'
 *   active          UPIDs of running tasks, one per line
 *   archive         '<UPID> <endtime %08X> <status>' of finished tasks, oldest end first
 *   .active.lock    flock guarding active and archive
 * Job states (`<lib>/jobstates/<type>-<id>.json`, PBS JSON) record when a scheduled job last
 * ran; JobScheduler starts the jobs whose calendar event is due.
 *
 * Invariants:
 * - A task is in `active` from spawn until its result line is in its log, then in `archive`:
 *   never in both, never in neither (both are changed in one locked step).
 * - A task's log is written only by its process, through one handle; line numbers are given out
 *   synchronously in log order, and the result line is always the last line.
 * - Tasks survive restarts: a UPID in `active` whose process is gone (pid and pstart no longer
 *   match /proc) is archived with its log's result line, or ended as
 *   'server stopped while the task was running' when it has none.
 * - A calendar search only moves forward in time, so the next event is always after `last`,
 *   also across DST changes.
 *
 * Locking: `active` and `archive` change only under an exclusive flock on `.active.lock` (15 s
 * timeout); listing takes it shared so it sees both files at one moment. `active` is replaced by
 * rename, so single reads need no lock. Job state files change under `<type>-<id>.lck`.
 * Log files need no lock: one writer, and readers wait for its pending writes (flush) first.
 */
export { systemClock, type Clock } from './clock.js';
export { formatUpid, parseUpid, escapeWorkerId, unescapeWorkerId, taskLogPath, type Upid } from './upid.js';
export { processStartTime, isProcessRunning } from './process-start.js';
export { formatLogTime, parseLogTime } from './log-time.js';
export type { TaskInfo, TaskStatusInfo } from './task-info.js';
export type { TaskListFilter } from './task-filter.js';
export type { TaskContext, TaskEvent, TaskLogLine } from './task-context.js';
export { TaskManager, type TaskManagerOptions, type SpawnOptions } from './task-manager.js';
export { DEFAULT_RETENTION, type RetentionPolicy } from './retention.js';
export {
  parseCalendarEvent,
  computeNextEvent,
  verifyCalendarEvent,
  type CalendarEvent,
  type DateTimeValue,
} from './calendar-event.js';
export {
  JobStateStore,
  SCHEDULE_FALLBACK_OFFSET,
  toJobTaskState,
  type JobState,
  type JobTaskState,
  type JobStateStoreOptions,
} from './job-state.js';
export { JobScheduler, type ScheduledJob, type JobSchedulerOptions } from './scheduler.js';
