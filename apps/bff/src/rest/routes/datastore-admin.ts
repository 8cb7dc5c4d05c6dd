/** /api2/json GC, verify, prune and job routes of PBS (§2.2, §2.5, §2.6 verify jobs, datastore usage). */
import {
  KeepOptionsSchema,
  PruneJobConfigSchema,
  UpdatePruneJobInputSchema,
  UpdateVerifyJobInputSchema,
  VerifyJobConfigSchema,
  type GroupRef,
  type JobStatus,
} from '@pbs/api-types';
import { groupFrom, inputFrom, snapshotFrom, toKebab } from '../coerce.js';
import { bool, num, str } from '../params.js';
import { accessOf, result, type RestRoute } from '../route.js';

const base = '/admin/datastore/:store';

/** PBS JobScheduleStatus field names */
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

const gc: RestRoute[] = [
  {
    method: 'GET',
    path: `${base}/gc`,
    access: accessOf('gc.status'),
    async handler({ call, params }) {
      return result(toKebab((await call.gc.status({ store: params.store ?? '' })).gcStatus));
    },
  },
  {
    method: 'POST',
    path: `${base}/gc`,
    access: accessOf('gc.run'),
    async handler({ call, params }) {
      return result((await call.gc.run({ store: params.store ?? '' })).taskId);
    },
  },
  {
    method: 'GET',
    path: '/admin/gc',
    access: accessOf('gc.list'),
    async handler({ call, args }) {
      const store = str(args, 'store');
      const jobs = (await call.gc.list()).filter((j) => store === undefined || j.store === store);
      return result(
        jobs.map((j) => ({ store: j.store, schedule: j.schedule ?? undefined, ...pbsJobStatus(j.status) })),
      );
    },
  },
];

const verify: RestRoute[] = [
  {
    method: 'POST',
    path: `${base}/verify`,
    access: accessOf('verify.run'),
    async handler({ call, params, args }) {
      const { taskId } = await call.verify.run({
        store: params.store ?? '',
        ns: str(args, 'ns') ?? '',
        group: snapshotFrom(args) === undefined ? (groupFrom(args) as GroupRef | undefined) : undefined,
        snapshot: snapshotFrom(args) as Parameters<typeof call.verify.run>[0]['snapshot'],
        maxDepth: num(args, 'max-depth'),
        ignoreVerified: bool(args, 'ignore-verified') ?? true,
        outdatedAfter: num(args, 'outdated-after'),
      });
      return result(taskId);
    },
  },
];

const prune: RestRoute[] = [
  {
    method: 'POST',
    path: `${base}/prune`,
    access: accessOf('prune.preview'),
    async handler({ call, params, args, ctx }) {
      const keep = inputFrom(KeepOptionsSchema, args);
      const where = { store: params.store ?? '', ns: str(args, 'ns') ?? '' };
      const group = (groupFrom(args) ?? { type: '', id: '' }) as GroupRef;
      const marks = await call.prune.preview({ ...where, group, ...keep });
      const listing = marks.map((m) => ({
        'backup-type': m.type,
        'backup-id': m.id,
        'backup-time': m.time,
        keep: m.keep,
        protected: m.mark === 'protected',
      }));
      // PBS names a namespace other than the root in the dry-run listing.
      if (bool(args, 'dry-run') === true)
        return result(where.ns === '' ? listing : listing.map((m) => ({ ...m, ns: where.ns })));
      const { taskId } = await call.prune.run({ ...where, group, ...keep });
      if (bool(args, 'use-task') === true) return result(taskId);
      // Without use-task PBS prunes before answering: wait for the task to end.
      for await (const event of ctx.services.tasks.follow(taskId, 0)) if (event.kind === 'end') break;
      return result(listing);
    },
  },
  {
    method: 'POST',
    path: `${base}/prune-datastore`,
    access: accessOf('prune.run'),
    async handler({ call, params, args }) {
      const keep = inputFrom(KeepOptionsSchema, args);
      const { taskId } = await call.prune.run({
        store: params.store ?? '',
        ns: str(args, 'ns') ?? '',
        maxDepth: num(args, 'max-depth'),
        dryRun: bool(args, 'dry-run') ?? false,
        ...keep,
      });
      return result(taskId);
    },
  },
];

function jobRoutes(kind: 'prune' | 'verify'): RestRoute[] {
  const name = kind === 'prune' ? 'pruneJob' : 'verifyJob';
  const configSchema = kind === 'prune' ? PruneJobConfigSchema : VerifyJobConfigSchema;
  const updateSchema = kind === 'prune' ? UpdatePruneJobInputSchema : UpdateVerifyJobInputSchema;
  return [
    {
      method: 'GET',
      path: `/config/${kind}`,
      access: accessOf(`${name}.list`),
      async handler({ call, args }) {
        const { items, digest } = await call[name].list({ store: str(args, 'store') });
        return result(
          items.map(({ status: _status, ...job }) => toKebab(job)),
          { digest },
        );
      },
    },
    {
      method: 'POST',
      path: `/config/${kind}`,
      access: accessOf(`${name}.create`),
      async handler({ call, args }) {
        await call[name].create(inputFrom(configSchema, args));
        return result(null);
      },
    },
    {
      method: 'PUT',
      path: `/config/${kind}/:id`,
      access: accessOf(`${name}.update`),
      async handler({ call, params, args }) {
        await call[name].update({ ...inputFrom(updateSchema, args), id: params.id ?? '' });
        return result(null);
      },
    },
    {
      method: 'DELETE',
      path: `/config/${kind}/:id`,
      access: accessOf(`${name}.remove`),
      async handler({ call, params, args }) {
        await call[name].remove({ id: params.id ?? '', digest: str(args, 'digest') });
        return result(null);
      },
    },
    {
      method: 'GET',
      path: `/admin/${kind}`,
      access: accessOf(`${name}.list`),
      async handler({ call, args }) {
        const { items } = await call[name].list({ store: str(args, 'store') });
        return result(
          items.map(({ status, ...job }) => ({ ...(toKebab(job) as object), ...pbsJobStatus(status) })),
        );
      },
    },
    {
      method: 'POST',
      path: `/admin/${kind}/:id/run`,
      access: accessOf(`${name}.run`),
      async handler({ call, params }) {
        return result((await call[name].run({ id: params.id ?? '' })).taskId);
      },
    },
  ];
}

const usage: RestRoute[] = [
  {
    method: 'GET',
    path: '/status/datastore-usage',
    access: accessOf('datastore.list'),
    async handler({ call }) {
      const stores = (await call.datastore.list()).filter((d) => !d.creating);
      const items = await Promise.all(
        stores.map(async (d) => {
          try {
            const [status, history] = await Promise.all([
              call.datastore.status({ store: d.store }),
              call.datastore.usage({ store: d.store }),
            ]);
            return {
              store: d.store,
              total: status.total,
              used: status.used,
              avail: status.avail,
              history: history.points.map((p) => (p.total > 0 ? p.used / p.total : null)),
              'estimated-full-date': history.estimatedFullDate ?? undefined,
              'gc-status': toKebab(status.gcStatus),
              'backend-type': status.backendType,
              'mount-status': 'nonremovable',
            };
          } catch (err) {
            return { store: d.store, error: err instanceof Error ? err.message : String(err) };
          }
        }),
      );
      return result(items);
    },
  },
];

export const datastoreAdminRoutes: RestRoute[] = [
  ...gc,
  ...verify,
  ...prune,
  ...jobRoutes('prune'),
  ...jobRoutes('verify'),
  ...usage,
];
