/**
 * Scans of a remote with its stored credentials (PBS GET /config/remote/{name}/scan[/{store}/…]),
 * for the sync-job editor's pickers. Remote.Audit on /remote/{name}.
 */
import {
  ScanRemoteDatastoresInputSchema,
  ScanRemoteDatastoresOutputSchema,
  ScanRemoteGroupsInputSchema,
  ScanRemoteGroupsOutputSchema,
  ScanRemoteNamespacesInputSchema,
  ScanRemoteNamespacesOutputSchema,
  type GroupItem,
} from '@pbs/api-types';
import { withRemote } from '@pbs/sync';
import { remoteEndpoint } from '../../services/sync/remotes.js';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { remoteAclPath } from './remote-path.js';

const store = (name: string) => `/admin/datastore/${encodeURIComponent(name)}`;

export const scanDatastores = privilegedProcedure(ScanRemoteDatastoresInputSchema, {
  privs: ['Remote.Audit'],
  path: (input) => remoteAclPath(input.name),
})
  .output(ScanRemoteDatastoresOutputSchema)
  .query(async ({ ctx, input }) => {
    const endpoint = await remoteEndpoint(ctx.services, input.name);
    const items = (await withRemote(endpoint, (c) => c.get('/admin/datastore'))) as
      { store: string; comment?: string }[] | null;
    return (items ?? []).map((i) => ({ store: i.store, ...(i.comment ? { comment: i.comment } : {}) }));
  });

export const scanNamespaces = privilegedProcedure(ScanRemoteNamespacesInputSchema, {
  privs: ['Remote.Audit'],
  path: (input) => remoteAclPath(input.name),
})
  .output(ScanRemoteNamespacesOutputSchema)
  .query(async ({ ctx, input }) => {
    const endpoint = await remoteEndpoint(ctx.services, input.name);
    const items = (await withRemote(endpoint, (c) =>
      c.get(`${store(input.store)}/namespace`, {
        ...(input.parent !== '' && { parent: input.parent }),
        ...(input.maxDepth !== undefined && { 'max-depth': input.maxDepth }),
      }),
    )) as { ns: string; comment?: string }[] | null;
    return (items ?? []).map((i) => ({ ns: i.ns, ...(i.comment ? { comment: i.comment } : {}) }));
  });

interface PbsGroup {
  'backup-type': GroupItem['type'];
  'backup-id': string;
  'last-backup'?: number;
  'backup-count'?: number;
  files?: string[];
  owner?: string;
  comment?: string;
}

export const scanGroups = privilegedProcedure(ScanRemoteGroupsInputSchema, {
  privs: ['Remote.Audit'],
  path: (input) => remoteAclPath(input.name),
})
  .output(ScanRemoteGroupsOutputSchema)
  .query(async ({ ctx, input }) => {
    const endpoint = await remoteEndpoint(ctx.services, input.name);
    const items = (await withRemote(endpoint, (c) =>
      c.get(`${store(input.store)}/groups`, input.ns !== '' ? { ns: input.ns } : {}),
    )) as PbsGroup[] | null;
    return (items ?? []).map((g) => ({
      type: g['backup-type'],
      id: g['backup-id'],
      lastBackup: g['last-backup'] ?? null,
      backupCount: g['backup-count'] ?? 0,
      files: g.files ?? [],
      owner: g.owner ?? null,
      ...(g.comment !== undefined && { comment: g.comment }),
    }));
  });
