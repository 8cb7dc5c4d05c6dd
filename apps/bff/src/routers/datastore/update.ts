import { z } from 'zod';
import { UpdateDatastoreInputSchema, type DatastoreConfig } from '@pbs/api-types';
import { checkScheduleField } from '../../services/schedule.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const update = privilegedProcedure(UpdateDatastoreInputSchema, {
  privs: ['Datastore.Modify'],
  path: (input) => `/datastore/${input.name}`,
})
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    const { name, digest, delete: deleted = [], ...patch } = input;
    checkScheduleField('gcSchedule', patch.gcSchedule);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    await ctx.services.datastores.config.update(
      name,
      (current): DatastoreConfig => {
        if (current.maintenanceMode?.type === 'delete') return current;
        const next: Record<string, unknown> = { ...current, ...defined };
        for (const key of deleted) delete next[key];
        return next as DatastoreConfig;
      },
      digest,
    );
    if (patch.gcSchedule !== undefined || deleted.includes('gcSchedule')) {
      await ctx.services.jobStates.updateLastRunTime('garbage_collection', name);
    }
    ctx.services.datastores.forget(name);
  });
