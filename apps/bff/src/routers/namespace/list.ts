import { z } from 'zod';
import { AppError, NamespaceItemSchema, NamespaceListInputSchema } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

/**
 * PBS list_namespaces: every namespace below the parent on which the caller has any datastore
 * privilege, so an ACL on /datastore/{store}/{ns} alone shows that namespace. Without access to
 * the parent, an empty or failing listing is refused rather than revealed.
 */
export const list = customAccessProcedure(
  'namespaces with Datastore.Audit, Modify, Read or Backup on /datastore/{store}/{ns}',
)
  .input(NamespaceListInputSchema)
  .output(z.array(NamespaceItemSchema))
  .query(async ({ ctx, input }) => {
    const look = (ns: string) => StoreAccess.of(ctx.services, ctx.caller, input.store, ns);
    const parentVisible = (await look(input.parent)).canLook();
    const denied = () =>
      new AppError('PERMISSION_DENIED', `list namespaces of '${input.store}': permission check failed`);
    let items: Array<{ ns: string; comment?: string }>;
    try {
      const { port } = await ctx.services.datastores.port(input.store, 'lookup');
      items = await port.listNamespaces(input.parent, input.maxDepth);
    } catch (err) {
      throw parentVisible ? err : denied();
    }
    const visible = [];
    for (const item of items) if ((await look(item.ns)).canLook()) visible.push(item);
    if (visible.length === 0 && !parentVisible) throw denied();
    return visible;
  });
