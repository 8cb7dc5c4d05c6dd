import { MoveGroupInputSchema, TaskIdOutputSchema } from '@pbs/api-types';
import { startMoveGroup } from '../../services/datastore/move-operations.js';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

/**
 * PBS: Modify or Prune (as owner) on the source, Modify or Backup (as owner) on the target.
 * The move runs as a move-group task.
 */
export const move = customAccessProcedure(
  'Modify or owner+Prune on the source; Modify or owner+Backup on the target',
)
  .input(MoveGroupInputSchema)
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    const owner = await port.getOwner(input.ns, input.group).catch(() => null);
    const label = `move group '${input.group.type}/${input.group.id}'`;
    const source = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    source.require(['Datastore.Modify'], ['Datastore.Prune'], owner, label);
    const target = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.targetNs);
    target.require(['Datastore.Modify'], ['Datastore.Backup'], owner, label);
    return { taskId: await startMoveGroup(ctx.services, input, ctx.caller.authId) };
  });
