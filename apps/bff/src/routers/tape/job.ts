/**
 * Tape backup jobs (PBS /config/tape-backup-job and POST /tape/backup/{id}): grid with last and
 * next run and the medium the next run would use; Tape.Audit on /tape/job/<id> to see a job,
 * Tape.Modify on /tape/job to change jobs, Tape.Write on /tape/job/<id> to run one.
 */
import { z } from 'zod';
import {
  AppError,
  JobRefSchema,
  TapeBackupJobConfigSchema,
  TaskIdOutputSchema,
  UpdateTapeBackupJobInputSchema,
  privilegeBit,
  type TapeBackupJob,
  type TapeBackupJobConfig,
} from '@pbs/api-types';
import { parseGroupFilters, MediaPool } from '@pbs/tape';
import { jobStatus } from '../../services/datastore/job-status.js';
import { checkScheduleField } from '../../services/schedule.js';
import type { Services } from '../../services/services.js';
import { startTapeBackupJob } from '../../services/tape/tape-operations.js';
import { t } from '../../trpc/init.js';
import { customAccessProcedure, privilegedProcedure } from '../../trpc/procedures.js';

const JOB_TYPE = 'tape-backup-job';

async function checkJob(services: Services, job: TapeBackupJobConfig): Promise<void> {
  checkScheduleField('schedule', job.schedule);
  parseGroupFilters(job.groupFilter);
  await services.datastores.configOf(job.store);
  await services.tape.pool(job.pool);
  await services.tape.drives.get(job.drive);
}

async function nextMedia(services: Services, job: TapeBackupJobConfig): Promise<string | undefined> {
  try {
    const pool = await services.tape.pool(job.pool);
    const device = await services.tape.device(job.drive);
    const next = new MediaPool({
      ...pool,
      inventory: await services.tape.inventory(),
      changer: device.changerName,
    });
    return next.guessNextWritableMedia(Math.floor(services.clock.now() / 1000))?.label.label_text;
  } catch {
    return undefined;
  }
}

const list = customAccessProcedure('jobs with Tape.Audit on /tape/job/<id>')
  .output(z.object({ digest: z.string(), items: z.array(z.custom<TapeBackupJob>()) }))
  .query(async ({ ctx }) => {
    const { digest, items } = await ctx.services.tape.jobs.read();
    const visible: TapeBackupJob[] = [];
    for (const job of items) {
      const mask = await ctx.services.access.privileges(ctx.caller.authId, `/tape/job/${job.id}`);
      if ((mask & privilegeBit('Tape.Audit')) === 0) continue;
      const media = await nextMedia(ctx.services, job);
      visible.push({
        ...job,
        status: await jobStatus(ctx.services, JOB_TYPE, job.id, job.schedule),
        ...(media !== undefined ? { nextMedia: media } : {}),
      });
    }
    return { digest, items: visible };
  });

const create = privilegedProcedure(TapeBackupJobConfigSchema, { privs: ['Tape.Modify'], path: '/tape/job' })
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await checkJob(ctx.services, input);
    await ctx.services.tape.jobs.create(input);
  });

const update = privilegedProcedure(UpdateTapeBackupJobInputSchema, {
  privs: ['Tape.Modify'],
  path: '/tape/job',
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { id, digest, delete: deleted = [], ...patch } = input;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const change = (job: TapeBackupJobConfig): TapeBackupJobConfig => {
      const next: Record<string, unknown> = { ...job, ...defined };
      for (const key of deleted) delete next[key];
      return next as TapeBackupJobConfig;
    };
    await checkJob(ctx.services, change((await ctx.services.tape.jobs.get(id)).item));
    await ctx.services.tape.jobs.update(id, change, digest);
    if (patch.schedule !== undefined) await ctx.services.jobStates.updateLastRunTime(JOB_TYPE, id);
  });

const remove = privilegedProcedure(JobRefSchema, { privs: ['Tape.Modify'], path: '/tape/job' })
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    await ctx.services.tape.jobs.remove(input.id, input.digest);
    await ctx.services.jobStates.remove(JOB_TYPE, input.id);
  });

const run = privilegedProcedure(JobRefSchema.pick({ id: true }), {
  privs: ['Tape.Write'],
  path: (input) => `/tape/job/${input.id}`,
})
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const job = await ctx.services.tape.jobs.find(input.id);
    if (!job) throw new AppError('NOT_FOUND', `tape backup job '${input.id}' does not exist`);
    return { taskId: await startTapeBackupJob(ctx.services, job, ctx.caller.authId) };
  });

export const tapeJobRouter = t.router({ list, create, update, remove, run });
