/** /api2/json/config/datastore[/{name}] and /admin/datastore[/{store}/status] as PBS serves them. */
import {
  CreateDatastoreInputSchema,
  UpdateDatastoreInputSchema,
  type DatastoreConfig,
  type MaintenanceMode,
} from '@pbs/api-types';
import { formatPropertyString, parsePropertyString } from '@pbs/config';
import { inputFrom, toKebab } from '../coerce.js';
import { bool, str } from '../params.js';
import { accessOf, result, type RestRoute } from '../route.js';

function maintenanceOf(text: string | undefined): MaintenanceMode | undefined {
  if (text === undefined) return undefined;
  const parsed = parsePropertyString(text, 'type');
  return { type: parsed.type as MaintenanceMode['type'], message: parsed.message };
}

/** PBS's `backend` property string (default key `type`); the schema checks the values. */
function backendOf(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const parsed = parsePropertyString(text, 'type');
  return Object.fromEntries(
    Object.entries(parsed).map(([k, v]) => [k.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()), v]),
  );
}

/** PBS returns property strings (tuning, maintenance-mode, backend) as their text form. */
function pbsConfig(config: DatastoreConfig): unknown {
  const { tuning, maintenanceMode, backend, ...rest } = config;
  return {
    ...(toKebab(rest) as object),
    tuning:
      tuning === undefined ? undefined : formatPropertyString(toKebab(tuning) as Record<string, string>),
    'maintenance-mode':
      maintenanceMode === undefined ? undefined : formatPropertyString(maintenanceMode, 'type'),
    backend:
      backend === undefined
        ? undefined
        : formatPropertyString(toKebab(backend) as Record<string, string>, 'type'),
  };
}

export const datastoreConfigRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/config/datastore',
    access: accessOf('datastore.list'),
    async handler({ call }) {
      const visible = await call.datastore.list();
      const configs = await Promise.all(
        visible
          .filter((d) => !d.creating)
          .map(async (d) => (await call.datastore.get({ store: d.store }).catch(() => null))?.config),
      );
      return result(configs.filter((c) => c !== undefined).map(pbsConfig));
    },
  },
  {
    method: 'POST',
    path: '/config/datastore',
    access: accessOf('datastore.create'),
    async handler({ call, args }) {
      const input = inputFrom(CreateDatastoreInputSchema, args) as Parameters<
        typeof call.datastore.create
      >[0];
      const backend = backendOf(str(args, 'backend')) as typeof input.backend;
      return result((await call.datastore.create({ ...input, backend })).taskId);
    },
  },
  {
    method: 'GET',
    path: '/config/datastore/:name',
    access: accessOf('datastore.get'),
    async handler({ call, params }) {
      const { digest, config } = await call.datastore.get({ store: params.name ?? '' });
      return result({ ...(pbsConfig(config) as object), digest });
    },
  },
  {
    method: 'PUT',
    path: '/config/datastore/:name',
    access: accessOf('datastore.update'),
    async handler({ call, params, args }) {
      const input = inputFrom(UpdateDatastoreInputSchema, args) as Parameters<
        typeof call.datastore.update
      >[0];
      const deleted = str(args, 'delete')
        ?.split(/[,;\s]+/)
        .filter(Boolean)
        .map((k) => k.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()));
      await call.datastore.update({
        ...input,
        name: params.name ?? '',
        maintenanceMode: maintenanceOf(str(args, 'maintenance-mode')),
        delete: deleted as typeof input.delete,
      });
      return result(null);
    },
  },
  {
    method: 'DELETE',
    path: '/config/datastore/:name',
    access: accessOf('datastore.remove'),
    async handler({ call, params, args }) {
      const { taskId } = await call.datastore.remove({
        name: params.name ?? '',
        destroyData: bool(args, 'destroy-data') ?? false,
        keepJobConfigs: bool(args, 'keep-job-configs') ?? false,
        digest: str(args, 'digest'),
      });
      return result(taskId);
    },
  },
  {
    method: 'GET',
    path: '/admin/datastore',
    access: accessOf('datastore.list'),
    async handler({ call }) {
      const items = await call.datastore.list();
      return result(
        items.map((d) => ({
          store: d.store,
          comment: d.comment,
          maintenance: d.maintenance === undefined ? undefined : formatPropertyString(d.maintenance, 'type'),
          'backend-type': d.backendType,
          'mount-status': 'nonremovable',
        })),
      );
    },
  },
  {
    method: 'GET',
    path: '/admin/datastore/:store/status',
    access: accessOf('datastore.status'),
    async handler({ call, params }) {
      const status = await call.datastore.status({ store: params.store ?? '' });
      return result({
        total: status.total,
        used: status.used,
        avail: status.avail,
        'gc-status': toKebab(status.gcStatus),
        counts: status.counts,
        'backend-type': status.backendType,
        's3-statistics': status.s3 === undefined ? undefined : toKebab(status.s3.counters),
      });
    },
  },
];
