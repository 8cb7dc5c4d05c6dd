import { SnapshotListInputSchema, SnapshotListOutputSchema, type SnapshotItem } from '@pbs/api-types';
import { StoreAccess } from '../../services/datastore/content-access.js';
import { customAccessProcedure } from '../../trpc/procedures.js';

function matches(item: SnapshotItem, needle: string): boolean {
  const date = new Date(item.time * 1000).toISOString();
  const text = `${item.type}/${item.id} ${date} ${item.owner ?? ''} ${item.comment ?? ''}`.toLowerCase();
  return text.includes(needle);
}

/** Newest first, filtered and paged on the server so the UI stays fast with many snapshots. */
export const list = customAccessProcedure(
  'Datastore.Audit for every snapshot, or Datastore.Backup for owned groups',
)
  .input(SnapshotListInputSchema)
  .output(SnapshotListOutputSchema)
  .query(async ({ ctx, input }) => {
    const access = await StoreAccess.of(ctx.services, ctx.caller, input.store, input.ns);
    access.require(['Datastore.Audit', 'Datastore.Backup'], [], null, `list snapshots of '${input.store}'`);
    const { port } = await ctx.services.datastores.port(input.store, 'read');
    const needle = input.search?.trim().toLowerCase() ?? '';
    if (needle === '') {
      return port.listSnapshotPage(input.ns, {
        group: input.group,
        time: input.time,
        visible: (owner) => access.allows(['Datastore.Audit'], ['Datastore.Backup'], owner),
        start: input.start,
        limit: input.limit,
      });
    }
    // a search matches comments too, which live in the manifests: every snapshot is read
    const visible = (await port.listSnapshots(input.ns, input.group))
      .filter((s) => access.allows(['Datastore.Audit'], ['Datastore.Backup'], s.owner))
      .filter((s) => needle === '' || matches(s, needle))
      .filter((s) => input.time === undefined || s.time === input.time)
      .sort((a, b) => b.time - a.time || a.type.localeCompare(b.type) || a.id.localeCompare(b.id));
    return { total: visible.length, items: visible.slice(input.start, input.start + input.limit) };
  });
