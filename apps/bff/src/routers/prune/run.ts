import { PruneRunInputSchema, TaskIdOutputSchema } from '@pbs/api-types';
import { AccessibleGroups, StoreAccess } from '../../services/datastore/content-access.js';
import { startPrune } from '../../services/datastore/operations.js';
import { customAccessProcedure } from '../../trpc/procedures.js';
import { keepOptionsOf } from './preview.js';

/** Prunes one group (Modify, or Prune as owner) or a whole namespace (Modify or Prune) as a task. */
export const run = customAccessProcedure(
  'Datastore.Modify or Prune on the namespace; Prune as owner for one group',
)
  .input(PruneRunInputSchema)
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    let mayPrune: ((ns: string, owner: string | null) => Promise<boolean>) | undefined;
    if (input.group !== undefined) {
      const { port } = await ctx.services.datastores.port(input.store, 'write');
      const owner = await port.getOwner(input.ns, input.group);
      access.require(['Datastore.Modify'], ['Datastore.Prune'], owner, 'prune');
    } else {
      access.require(['Datastore.Modify', 'Datastore.Prune'], [], null, 'prune namespace');
      // PBS prune_datastore: Modify prunes every group of a namespace, Prune only owned ones.
      const groups = new AccessibleGroups(
        ctx.services,
        ctx.caller,
        input.store,
        ['Datastore.Modify'],
        ['Datastore.Prune'],
      );
      mayPrune = (ns, owner) => groups.allows(ns, owner);
    }
    const taskId = await startPrune(
      ctx.services,
      {
        store: input.store,
        ns: input.ns,
        group: input.group,
        maxDepth: input.maxDepth,
        keep: keepOptionsOf(input),
        mayPrune,
        dryRun: input.dryRun,
      },
      ctx.caller.authId,
    );
    return { taskId };
  });
