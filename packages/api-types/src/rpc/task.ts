import { z } from 'zod';
import { AuthIdSchema } from '../domain/names.js';
import { TaskProgressSchema, TaskStateSchema } from '../domain/task.js';
import { UpidSchema } from '../domain/upid.js';
import { EpochSchema } from './common.js';

export const TaskSummarySchema = z.object({
  upid: z.string(),
  node: z.string(),
  pid: z.number().int(),
  pstart: z.number().int(),
  starttime: EpochSchema,
  endtime: EpochSchema.optional(),
  worker_type: z.string(),
  worker_id: z.string().nullable(),
  user: AuthIdSchema,
  state: TaskStateSchema,
  /** PBS's status text: 'OK', 'WARNINGS: n', the error message, or 'unknown' */
  status: z.string().optional(),
});
export type TaskSummary = z.infer<typeof TaskSummarySchema>;

export const TaskListInputSchema = z.object({
  start: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(0).max(100_000).default(50),
  running: z.boolean().optional(),
  errors: z.boolean().optional(),
  typefilter: z.string().max(64).optional(),
  statusfilter: z.array(z.enum(['ok', 'warning', 'error', 'unknown'])).optional(),
  userfilter: z.string().max(64).optional(),
  store: z.string().max(32).optional(),
  since: EpochSchema.optional(),
  until: EpochSchema.optional(),
});
export type TaskListInput = z.input<typeof TaskListInputSchema>;

export const TaskListOutputSchema = z.object({
  total: z.number().int().nonnegative(),
  items: z.array(TaskSummarySchema),
});
export type TaskListOutput = z.infer<typeof TaskListOutputSchema>;

export const TaskRefSchema = z.object({ upid: UpidSchema });
export type TaskRef = z.infer<typeof TaskRefSchema>;

export const TaskStatusSchema = TaskSummarySchema.extend({
  progress: TaskProgressSchema.nullable(),
  warnings: z.number().int().nonnegative(),
});
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export const TaskLogLineSchema = z.object({ n: z.number().int().positive(), t: z.string() });
export type TaskLogLine = z.infer<typeof TaskLogLineSchema>;

export const TaskLogInputSchema = z.object({
  upid: UpidSchema,
  start: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(100_000).default(500),
});
export type TaskLogInput = z.input<typeof TaskLogInputSchema>;

export const TaskLogOutputSchema = z.object({
  lines: z.array(TaskLogLineSchema),
  total: z.number().int().nonnegative(),
  running: z.boolean(),
});
export type TaskLogOutput = z.infer<typeof TaskLogOutputSchema>;

export const TaskFollowInputSchema = z.object({
  upid: UpidSchema,
  /** number of log lines the client already has; the stream continues from there */
  fromLine: z.number().int().nonnegative().default(0),
});

/** What a live task subscription delivers; `end` is always the last event. */
export const TaskEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('log'), lines: z.array(TaskLogLineSchema) }),
  z.object({ kind: z.literal('progress'), progress: TaskProgressSchema }),
  z.object({ kind: z.literal('end'), status: TaskStatusSchema }),
]);
export type TaskEvent = z.infer<typeof TaskEventSchema>;

export const TaskTypeCountsSchema = z.object({ ok: z.number(), warning: z.number(), error: z.number() });

export const TaskStatsInputSchema = z.object({ since: EpochSchema });
export const TaskStatsOutputSchema = z.object({
  byType: z.record(z.string(), TaskTypeCountsSchema),
});
export type TaskStatsOutput = z.infer<typeof TaskStatsOutputSchema>;
