import { DatastoreStatusSchema, StoreRefSchema } from '@pbs/api-types';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const status = privilegedProcedure(StoreRefSchema, {
  privs: ['Datastore.Audit', 'Datastore.Backup'],
  any: true,
  path: (input) => `/datastore/${input.store}`,
})
  .output(DatastoreStatusSchema)
  .query(async ({ ctx, input }) => {
    const { port, config } = await ctx.services.datastores.port(input.store, 'lookup');
    const [usage, counts, gcStatus] = await Promise.all([port.status(), port.counts(), port.gcStatus()]);
    const dedupFactor =
      gcStatus !== null && gcStatus.diskBytes > 0 ? gcStatus.indexDataBytes / gcStatus.diskBytes : null;
    return {
      store: input.store,
      ...usage,
      counts,
      gcStatus,
      dedupFactor,
      backendType: config.backend?.type ?? 'filesystem',
    };
  });
