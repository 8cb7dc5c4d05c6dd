import { z } from 'zod';
import { GcJobSchema, privilegeBit } from '@pbs/api-types';
import { gcJobOf } from '../../services/datastore/job-status.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

/** Every store's GC schedule and last run, for stores the caller may audit. */
export const list = customAccessProcedure('stores with Datastore.Audit')
  .output(z.array(GcJobSchema))
  .query(async ({ ctx }) => {
    const jobs = [];
    for (const config of await ctx.services.datastores.list()) {
      const mask = await ctx.services.access.privileges(ctx.caller.authId, `/datastore/${config.name}`);
      if ((mask & privilegeBit('Datastore.Audit')) === 0) continue;
      jobs.push(await gcJobOf(ctx.services, config));
    }
    return jobs;
  });
