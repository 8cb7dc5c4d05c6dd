import { z } from 'zod';
import { MoveNamespaceInputSchema } from '@pbs/api-types';
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
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    for (const ns of [input.ns, input.targetNs]) {
      const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, parentOf(ns));
      access.require(['Datastore.Modify'], [], null, `move namespace '${input.ns}'`);
    }
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    await port.moveNamespace(input.ns, input.targetNs);
  });
