import { DatastoreStatusSchema, StoreRefSchema } from '@pbs/api-types';
import { AccessibleGroups, accessibleCounts, StoreAccess } from '../../services/datastore/content-access.js';
import { s3DatastoreStats } from '../../services/s3/s3-datastore-stats.js';
import { privilegedProcedure } from '../../trpc/procedures.js';

export const status = privilegedProcedure(StoreRefSchema, {
  privs: ['Datastore.Audit', 'Datastore.Backup'],
  any: true,
  path: (input) => `/datastore/${input.store}`,
})
  .output(DatastoreStatusSchema)
  .query(async ({ ctx, input }) => {
    const { port, config } = await ctx.services.datastores.port(input.store, 'lookup');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store);
    // PBS: without Audit, the counts cover only the groups the caller owns (or may read).
    const countsOf = () =>
      access.has('Datastore.Audit')
        ? port.counts()
        : accessibleCounts(
            port,
            new AccessibleGroups(ctx.services, ctx.caller, input.store, [
              'Datastore.Audit',
              'Datastore.Read',
            ]),
          );
    const [usage, counts, gcStatus] = await Promise.all([port.status(), countsOf(), port.gcStatus()]);
    const dedupFactor =
      gcStatus !== null && gcStatus.diskBytes > 0 ? gcStatus.indexDataBytes / gcStatus.diskBytes : null;
    return {
      store: input.store,
      ...usage,
      counts,
      gcStatus,
      dedupFactor,
      backendType: config.backend?.type ?? 'filesystem',
      s3: await s3DatastoreStats(ctx.services, config, gcStatus),
    };
  });
