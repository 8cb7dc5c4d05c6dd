import { z } from 'zod';
import { DatastoreListItemSchema, type DatastoreListItem } from '@pbs/api-types';
import { customAccessProcedure } from '../../trpc/procedures.js';

/** PBS lists the stores where the caller has any datastore privilege (at or below the store). */
export const list = customAccessProcedure(
  'stores with any Datastore privilege at or below /datastore/{store}',
)
  .output(z.array(DatastoreListItemSchema))
  .query(async ({ ctx }) => {
    const { datastores, access } = ctx.services;
    const items: DatastoreListItem[] = [];
    for (const config of await datastores.list()) {
      const visible = await access.anyPrivilegeBelow(ctx.caller.authId, `/datastore/${config.name}`, [
        'Datastore.Audit',
        'Datastore.Modify',
        'Datastore.Read',
        'Datastore.Backup',
        'Datastore.Prune',
        'Datastore.Verify',
        'Datastore.Allocate',
      ]);
      if (!visible) continue;
      items.push({
        store: config.name,
        comment: config.comment,
        maintenance: config.maintenanceMode,
        backendType: config.backend?.type ?? 'filesystem',
        creating: false,
      });
    }
    for (const name of datastores.creating) {
      if (!items.some((item) => item.store === name))
        items.push({ store: name, backendType: 'filesystem', creating: true });
    }
    return items.sort((a, b) => a.store.localeCompare(b.store));
  });
