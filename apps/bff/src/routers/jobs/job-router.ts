/**
 * One router shape for every datastore job file (prune.cfg, verification.cfg): grid with last
 * and next run, add/edit/remove with digests, run now. Each job kind supplies its config file,
 * the privilege it needs on the job's store, and how to start it.
 */
import { z } from 'zod';
import type { JobStatusSchema } from '@pbs/api-types';
import {
  AppError,
  JobListInputSchema,
  JobRefSchema,
  TaskIdOutputSchema,
  privilegeBit,
  type Privilege,
} from '@pbs/api-types';
import { jobStatus } from '../../services/datastore/job-status.js';
import type { TypedSectionConfig } from '../../services/config/typed-config.js';
import { checkScheduleField } from '../../services/schedule.js';
import type { Services } from '../../services/services.js';
import type { Caller } from '../../trpc/auth-state.js';
import { t } from '../../trpc/init.js';
import { customAccessProcedure, privilegedProcedure } from '../../trpc/procedures.js';

interface JobBase {
  id: string;
  store: string;
  ns?: string;
  schedule?: string;
  disable?: boolean;
}

export interface JobKind<T extends JobBase> {
  noun: string;
  jobType: string;
  privilege: Privilege;
  file: (services: Services) => TypedSectionConfig<T>;
  configSchema: z.ZodType<T>;
  updateSchema: z.ZodType<Partial<T> & { id: string; digest?: string; delete?: string[] }>;
  start: (services: Services, job: T, authId: string) => Promise<string>;
}

/** PBS job acl_path: the job's namespace when it has one, else its store */
const jobPath = (job: { store: string; ns?: string }) =>
  job.ns === undefined || job.ns === '' ? `/datastore/${job.store}` : `/datastore/${job.store}/${job.ns}`;

export function makeJobRouter<T extends JobBase>(kind: JobKind<T>) {
  const requireOnStore = async (services: Services, caller: Caller, id: string): Promise<T> => {
    const { item } = await kind.file(services).get(id);
    await services.access.checkPrivileges(caller.authId, jobPath(item), [kind.privilege]);
    return item;
  };
  const rule = `${kind.privilege} on the job's namespace (or store)`;
  const listMask = privilegeBit('Datastore.Audit') | privilegeBit(kind.privilege);

  const list = customAccessProcedure(
    `jobs whose namespace (or store) grants Datastore.Audit or ${kind.privilege}`,
  )
    .input(JobListInputSchema)
    .output(
      z.object({
        digest: z.string(),
        items: z.array(z.custom<T & { status: z.infer<typeof JobStatusSchema> }>()),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { digest, items } = await kind.file(ctx.services).read();
      const visible = [];
      for (const job of items) {
        if (input.store !== undefined && job.store !== input.store) continue;
        const mask = await ctx.services.access.privileges(ctx.caller.authId, jobPath(job));
        if ((mask & listMask) === 0) continue;
        const schedule = job.disable === true ? undefined : job.schedule;
        visible.push({ ...job, status: await jobStatus(ctx.services, kind.jobType, job.id, schedule) });
      }
      return { digest, items: visible };
    });

  const create = privilegedProcedure(kind.configSchema, {
    privs: [kind.privilege],
    path: (input: T) => jobPath(input),
  })
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      const job = input as T;
      checkScheduleField('schedule', job.schedule);
      await ctx.services.datastores.configOf(job.store);
      await kind.file(ctx.services).create(job);
    });

  const update = customAccessProcedure(`${rule} (and on a new store)`)
    .input(kind.updateSchema)
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      const {
        id,
        digest,
        delete: deleted = [],
        ...patch
      } = input as Partial<T> & { id: string; digest?: string; delete?: string[] };
      const current = await requireOnStore(ctx.services, ctx.caller, id);
      if (patch.store !== undefined || patch.ns !== undefined || deleted.includes('ns')) {
        // moving the job to another store or namespace needs the privilege there too
        const ns = deleted.includes('ns') ? undefined : (patch.ns ?? current.ns);
        const target = { store: patch.store ?? current.store, ns };
        await ctx.services.access.checkPrivileges(ctx.caller.authId, jobPath(target), [kind.privilege]);
        await ctx.services.datastores.configOf(target.store);
      }
      checkScheduleField('schedule', patch.schedule);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const change = (job: T): T => {
        const next: Record<string, unknown> = { ...job, ...defined };
        for (const key of deleted) delete next[key];
        return next as T;
      };
      await kind.file(ctx.services).update(id, change, digest);
      if (patch.schedule !== undefined) await ctx.services.jobStates.updateLastRunTime(kind.jobType, id);
    });

  const remove = customAccessProcedure(rule)
    .input(JobRefSchema)
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      await requireOnStore(ctx.services, ctx.caller, input.id);
      await kind.file(ctx.services).remove(input.id, input.digest);
      await ctx.services.jobStates.remove(kind.jobType, input.id);
    });

  const run = customAccessProcedure(rule)
    .input(JobRefSchema.pick({ id: true }))
    .output(TaskIdOutputSchema)
    .mutation(async ({ ctx, input }) => {
      const job = await requireOnStore(ctx.services, ctx.caller, input.id);
      if (job.disable === true)
        throw new AppError('INVALID_ARGUMENT', `${kind.noun} '${job.id}' is disabled`);
      return { taskId: await kind.start(ctx.services, job, ctx.caller.authId) };
    });

  return t.router({ list, create, update, remove, run });
}
