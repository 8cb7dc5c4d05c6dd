import { z } from 'zod';
import { KEEP_OPTION_KEYS, PruneMarkSchema, PrunePreviewInputSchema, type KeepOptions } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

export function keepOptionsOf(input: KeepOptions): KeepOptions {
  return Object.fromEntries(KEEP_OPTION_KEYS.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]));
}

/** The dry run the UI shows before pruning a group. */
export const preview = customAccessProcedure('Datastore.Modify, or Datastore.Prune as owner')
  .input(PrunePreviewInputSchema)
  .output(z.array(PruneMarkSchema))
  .query(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'read');
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const owner = await port.getOwner(input.ns, input.group);
    access.require(['Datastore.Modify'], ['Datastore.Prune'], owner, 'prune');
    return port.planPrune(input.ns, input.group, keepOptionsOf(input));
  });
