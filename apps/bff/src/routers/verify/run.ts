import { TaskIdOutputSchema, VerifyRunInputSchema } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { startVerify } from '../../services/datastore/operations.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

/** PBS: Datastore.Verify, or Datastore.Backup as owner of the group or snapshot verified. */
export const run = customAccessProcedure('Datastore.Verify, or Datastore.Backup as owner of the group')
  .input(VerifyRunInputSchema)
  .output(TaskIdOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    const group = input.snapshot ?? input.group;
    if (group !== undefined) {
      const { port } = await ctx.services.datastores.port(input.store, 'read');
      const owner = await port.getOwner(input.ns, group);
      access.require(['Datastore.Verify'], ['Datastore.Backup'], owner, 'verify');
    } else {
      access.require(['Datastore.Verify'], [], null, 'verify');
    }
    return { taskId: await startVerify(ctx.services, input.store, input, ctx.caller.authId) };
  });
