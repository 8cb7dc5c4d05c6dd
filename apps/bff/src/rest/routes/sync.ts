/**
 * Remotes, sync jobs and one-shot pull/push (features §2.6): /config/remote[/{name}[/scan[/{store}/
 * {namespaces,groups}]]], /config/sync[/{id}], /admin/sync[/{id}/run], /pull, /push. The
 * remote's password is accepted on writes and never appears in a reply.
 */
import type { JobStatus } from '@pbs/api-types';
import {
  CreateRemoteInputSchema,
  CreateSyncJobInputSchema,
  SyncRunInputSchema,
  UpdateRemoteInputSchema,
  UpdateSyncJobInputSchema,
} from '@pbs/api-types';
import { inputFrom, toKebab } from '../coerce.js';
import { num, str } from '../params.js';
import { accessOf, result, type RestRoute, type TrpcCaller } from '../route.js';
import { pbsGroup } from './datastore-content.js';

const camel = (key: string) => key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** PBS `delete` lists kebab-case names, as one string or several values. */
function deletedKeys(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  return items
    .flatMap((k) => k.split(/[,;\s]+/))
    .filter(Boolean)
    .map(camel);
}

function pbsJobStatus(status: JobStatus) {
  return {
    'next-run': status.nextRun ?? undefined,
    'last-run-upid': status.lastRunUpid ?? undefined,
    'last-run-state': status.lastRunState === null ? undefined : status.lastRunState.toUpperCase(),
    'last-run-endtime': status.lastRunEndtime ?? undefined,
    duration:
      status.lastRunEndtime !== null && status.lastRunStarttime !== null
        ? status.lastRunEndtime - status.lastRunStarttime
        : undefined,
  };
}

type Input<K extends keyof TrpcCaller, P extends string> =
  TrpcCaller[K] extends Record<P, (input: infer I) => unknown> ? I : never;

const remoteRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/config/remote',
    access: accessOf('remote.list'),
    async handler({ call }) {
      const { digest, items } = await call.remote.list();
      return result(toKebab(items), { digest });
    },
  },
  {
    method: 'POST',
    path: '/config/remote',
    access: accessOf('remote.create'),
    async handler({ call, args }) {
      await call.remote.create(inputFrom(CreateRemoteInputSchema, args) as Input<'remote', 'create'>);
      return result(null);
    },
  },
  {
    method: 'GET',
    path: '/config/remote/:name',
    access: accessOf('remote.get'),
    async handler({ call, params }) {
      const { digest, remote } = await call.remote.get({ name: params.name ?? '' });
      return result({ ...(toKebab(remote) as object), digest });
    },
  },
  {
    method: 'PUT',
    path: '/config/remote/:name',
    access: accessOf('remote.update'),
    async handler({ call, params, args }) {
      const input = inputFrom(UpdateRemoteInputSchema, args) as Input<'remote', 'update'>;
      await call.remote.update({
        ...input,
        name: params.name ?? '',
        delete: deletedKeys(args.delete) as typeof input.delete,
      });
      return result(null);
    },
  },
  {
    method: 'DELETE',
    path: '/config/remote/:name',
    access: accessOf('remote.remove'),
    async handler({ call, params, args }) {
      await call.remote.remove({ name: params.name ?? '', digest: str(args, 'digest') });
      return result(null);
    },
  },
  {
    method: 'GET',
    path: '/config/remote/:name/scan',
    access: accessOf('remote.scanDatastores'),
    async handler({ call, params }) {
      return result(await call.remote.scanDatastores({ name: params.name ?? '' }));
    },
  },
  {
    method: 'GET',
    path: '/config/remote/:name/scan/:store/namespaces',
    access: accessOf('remote.scanNamespaces'),
    async handler({ call, params }) {
      return result(await call.remote.scanNamespaces({ name: params.name ?? '', store: params.store ?? '' }));
    },
  },
  {
    method: 'GET',
    path: '/config/remote/:name/scan/:store/groups',
    access: accessOf('remote.scanGroups'),
    async handler({ call, params, args }) {
      const groups = await call.remote.scanGroups({
        name: params.name ?? '',
        store: params.store ?? '',
        ns: str(args, 'namespace') ?? str(args, 'ns') ?? '',
      });
      return result(groups.map(pbsGroup));
    },
  },
];

const syncJobRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/config/sync',
    access: accessOf('syncJob.list'),
    async handler({ call, args }) {
      const { digest, items } = await call.syncJob.list({
        store: str(args, 'store'),
        syncDirection: str(args, 'sync-direction') as 'pull' | 'push' | undefined,
      });
      return result(
        items.map(({ status: _status, ...job }) => toKebab(job)),
        { digest },
      );
    },
  },
  {
    method: 'POST',
    path: '/config/sync',
    access: accessOf('syncJob.create'),
    async handler({ call, args }) {
      await call.syncJob.create(inputFrom(CreateSyncJobInputSchema, args) as Input<'syncJob', 'create'>);
      return result(null);
    },
  },
  {
    method: 'GET',
    path: '/config/sync/:id',
    access: accessOf('syncJob.get'),
    async handler({ call, params }) {
      const { digest, job } = await call.syncJob.get({ id: params.id ?? '' });
      const { status: _status, ...config } = job;
      return result({ ...(toKebab(config) as object), digest });
    },
  },
  {
    method: 'PUT',
    path: '/config/sync/:id',
    access: accessOf('syncJob.update'),
    async handler({ call, params, args }) {
      const input = inputFrom(UpdateSyncJobInputSchema, args) as Input<'syncJob', 'update'>;
      await call.syncJob.update({
        ...input,
        id: params.id ?? '',
        delete: deletedKeys(args.delete) as typeof input.delete,
      });
      return result(null);
    },
  },
  {
    method: 'DELETE',
    path: '/config/sync/:id',
    access: accessOf('syncJob.remove'),
    async handler({ call, params, args }) {
      await call.syncJob.remove({ id: params.id ?? '', digest: str(args, 'digest') });
      return result(null);
    },
  },
  {
    method: 'GET',
    path: '/admin/sync',
    access: accessOf('syncJob.list'),
    async handler({ call, args }) {
      const { items } = await call.syncJob.list({
        store: str(args, 'store'),
        syncDirection: str(args, 'sync-direction') as 'pull' | 'push' | undefined,
      });
      return result(
        items.map(({ status, ...job }) => ({ ...(toKebab(job) as object), ...pbsJobStatus(status) })),
      );
    },
  },
  {
    method: 'POST',
    path: '/admin/sync/:id/run',
    access: accessOf('syncJob.run'),
    async handler({ call, params }) {
      return result((await call.syncJob.run({ id: params.id ?? '' })).taskId);
    },
  },
];

const oneShotRoutes: RestRoute[] = (['pull', 'push'] as const).map((kind) => ({
  method: 'POST' as const,
  path: `/${kind}`,
  access: accessOf(`sync.${kind}`),
  async handler({ call, args }) {
    const input = inputFrom(SyncRunInputSchema, args) as Input<'sync', 'pull'>;
    const maxDepth = num(args, 'max-depth');
    return result((await call.sync[kind]({ ...input, ...(maxDepth !== undefined && { maxDepth }) })).taskId);
  },
}));

export const syncRoutes: RestRoute[] = [...remoteRoutes, ...syncJobRoutes, ...oneShotRoutes];
