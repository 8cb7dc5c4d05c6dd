/**
 * @pbs/tasks: worker tasks, the task archive, calendar events and job scheduling.
 *
 * Concept: UPIDs name worker tasks exactly as PBS does (pbs-formats §9.1).
 */
export { systemClock, type Clock } from './clock.js';
export { formatUpid, parseUpid, escapeWorkerId, unescapeWorkerId, taskLogPath, type Upid } from './upid.js';
export {
  parseCalendarEvent,
  computeNextEvent,
  verifyCalendarEvent,
  type CalendarEvent,
  type DateTimeValue,
} from './calendar-event.js';
export { processStartTime, isProcessRunning } from './process-start.js';
export { formatLogTime, parseLogTime } from './log-time.js';
