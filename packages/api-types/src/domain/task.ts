import { z } from 'zod';

/** Final task state as PBS reports it; `running` while the task has not ended. */
export const TaskStateSchema = z.enum(['running', 'ok', 'warning', 'error', 'unknown']);
export type TaskState = z.infer<typeof TaskStateSchema>;

/** Progress is separate from the log: the UI draws bars from it, the log stays text. */
export const TaskProgressSchema = z.object({
  /** 0..1 when the total is known, null while indeterminate */
  fraction: z.number().min(0).max(1).nullable(),
  /** a short human label of the current phase, e.g. 'phase 1: marking chunks' */
  phase: z.string().optional(),
  bytesDone: z.number().nonnegative().optional(),
  bytesTotal: z.number().nonnegative().optional(),
  itemsDone: z.number().nonnegative().optional(),
  itemsTotal: z.number().nonnegative().optional(),
  /** bytes per second, averaged over the last seconds */
  rate: z.number().nonnegative().optional(),
  /** estimated seconds until done */
  etaSeconds: z.number().nonnegative().optional(),
});
export type TaskProgress = z.infer<typeof TaskProgressSchema>;
