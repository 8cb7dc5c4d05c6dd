import { FileVersionsInputSchema, FileVersionsOutputSchema } from '@pbs/api-types';
import { fileVersions } from '../../services/browse/file-versions.js';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

/** Beyond PBS: every version of a file across the snapshots of its group. */
export const versions = customAccessProcedure('Datastore.Read, or Datastore.Backup as owner')
  .input(FileVersionsInputSchema)
  .output(FileVersionsOutputSchema)
  .query(async ({ ctx, input }) => {
    const { datastore } = await ctx.services.datastores.open(input.store, 'read');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const owner = await datastore.getOwner(input.ns, input.group).catch(() => null);
    access.require(['Datastore.Read'], ['Datastore.Backup'], owner, 'search file versions');
    return fileVersions(datastore, input.ns, input.group, input.path, input.limit);
  });
