import { MoveNamespaceInputSchema, TaskIdOutputSchema } from '@pbs/api-types';
import { startMoveNamespace } from '../../services/datastore/move-operations.js';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

function parentOf(ns: string): string {
  return ns.includes('/') ? ns.slice(0, ns.lastIndexOf('/')) : '';
}

/** PBS check_ns_modification_privs: moving removes `ns` from its parent and adds it to the target's. */
export const move = customAccessProcedure(
  'Datastore.Modify on the parents of the source and the target namespace',
)
  .input(MoveNamespaceInputSchema)
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    for (const ns of [input.ns, input.targetNs]) {
      const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, parentOf(ns));
      access.require(['Datastore.Modify'], [], null, `move namespace '${input.ns}'`);
    }
    return { taskId: await startMoveNamespace(ctx.services, input, ctx.caller.authId) };
  });
