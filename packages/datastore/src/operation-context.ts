import type { TaskProgress } from '@pbs/api-types/domain';
import type { TaskContext } from '@pbs/tasks';

/**
 * What a long datastore operation needs from whoever runs it: an abort signal, a log with
 * warnings, and progress. @pbs/tasks' TaskContext is one (it has more); tests pass plain objects.
 */
export interface OperationContext {
  readonly signal: AbortSignal;
  log(message: string): void;
  /** counts towards the task's warnings */
  warn(message: string): void;
  progress(update: Partial<TaskProgress>): void;
}

type Assert<T extends true> = T;
/** fails to compile unless a task context can be passed where an OperationContext is expected */
export type TaskContextIsOperationContext = Assert<TaskContext extends OperationContext ? true : false>;

/** A context that discards everything: for operations started without a task. */
export function silentContext(signal: AbortSignal = new AbortController().signal): OperationContext {
  return { signal, log: () => undefined, warn: () => undefined, progress: () => undefined };
}
