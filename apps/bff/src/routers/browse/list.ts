import { z } from 'zod';
import { BrowseEntrySchema, BrowseListInputSchema } from '@pbs/api-types';
import { listSnapshotPath } from '../../services/browse/list-entries.js';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

/** The file browser: Datastore.Read, or Datastore.Backup as owner of the group (PBS catalog API). */
export const list = customAccessProcedure('Datastore.Read, or Datastore.Backup as owner')
  .input(BrowseListInputSchema)
  .output(z.array(BrowseEntrySchema))
  .query(async ({ ctx, input }) => {
    const { datastore } = await ctx.services.datastores.open(input.store, 'read');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const owner = await datastore.getOwner(input.ns, input.snapshot).catch(() => null);
    access.require(['Datastore.Read'], ['Datastore.Backup'], owner, 'browse snapshot');
    return listSnapshotPath(datastore, input.ns, input.snapshot, input.path);
  });
