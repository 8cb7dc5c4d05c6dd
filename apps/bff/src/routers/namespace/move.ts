import { z } from 'zod';
import { MoveNamespaceInputSchema } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

export const move = customAccessProcedure('Datastore.Modify on the source and the target namespace')
  .input(MoveNamespaceInputSchema)
  .output(z.void())
  .mutation(async ({ ctx, input }) => {
    for (const ns of [input.ns, input.targetNs]) {
      const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, ns);
      access.require(['Datastore.Modify'], [], null, `move namespace '${input.ns}'`);
    }
    const { port } = await ctx.services.datastores.port(input.store, 'write');
    await port.moveNamespace(input.ns, input.targetNs);
  });
