/**
 * PBS 4.x S3 routes (features §2.7): /config/s3[/{id}[/list-buckets]], /admin/s3/{id}/check and
 * /reset-counters, and the datastore's /admin/datastore/{store}/s3-refresh. The secret key is
 * accepted on writes and never appears in a reply (the procedures drop it).
 */
import { CreateS3EndpointInputSchema, UpdateS3EndpointInputSchema } from '@pbs/api-types';
import { inputFrom, toKebab } from '../coerce.js';
import { str } from '../params.js';
import { accessOf, result, type RestRoute } from '../route.js';

const camel = (key: string) => key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

export const s3Routes: RestRoute[] = [
  {
    method: 'GET',
    path: '/config/s3',
    access: accessOf('s3Endpoint.list'),
    async handler({ call }) {
      const { digest, items } = await call.s3Endpoint.list();
      return result(toKebab(items), { digest });
    },
  },
  {
    method: 'POST',
    path: '/config/s3',
    access: accessOf('s3Endpoint.create'),
    async handler({ call, args }) {
      const input = inputFrom(CreateS3EndpointInputSchema, args) as Parameters<
        typeof call.s3Endpoint.create
      >[0];
      await call.s3Endpoint.create(input);
      return result(null);
    },
  },
  {
    method: 'GET',
    path: '/config/s3/:id',
    access: accessOf('s3Endpoint.get'),
    async handler({ call, params }) {
      const { digest, endpoint } = await call.s3Endpoint.get({ id: params.id ?? '' });
      return result({ ...(toKebab(endpoint) as object), digest });
    },
  },
  {
    method: 'PUT',
    path: '/config/s3/:id',
    access: accessOf('s3Endpoint.update'),
    async handler({ call, params, args }) {
      const input = inputFrom(UpdateS3EndpointInputSchema, args) as Parameters<
        typeof call.s3Endpoint.update
      >[0];
      const deleted = (input.delete as string[] | undefined)
        ?.flatMap((k) => k.split(/[,;\s]+/))
        .filter(Boolean)
        .map(camel);
      await call.s3Endpoint.update({
        ...input,
        id: params.id ?? '',
        delete: deleted as typeof input.delete,
      });
      return result(null);
    },
  },
  {
    method: 'DELETE',
    path: '/config/s3/:id',
    access: accessOf('s3Endpoint.remove'),
    async handler({ call, params, args }) {
      await call.s3Endpoint.remove({ id: params.id ?? '', digest: str(args, 'digest') });
      return result(null);
    },
  },
  {
    method: 'GET',
    path: '/config/s3/:id/list-buckets',
    access: accessOf('s3Endpoint.listBuckets'),
    async handler({ call, params }) {
      return result(toKebab(await call.s3Endpoint.listBuckets({ id: params.id ?? '' })));
    },
  },
  {
    method: 'PUT',
    path: '/admin/s3/:id/check',
    access: accessOf('s3Endpoint.check'),
    async handler({ call, params, args }) {
      await call.s3Endpoint.check({
        id: params.id ?? '',
        bucket: str(args, 'bucket') ?? '',
        storePrefix: str(args, 'store-prefix'),
      });
      // PBS answers null on success; a failure is an error reply
      return result(null);
    },
  },
  {
    method: 'PUT',
    path: '/admin/s3/:id/reset-counters',
    access: accessOf('s3Endpoint.resetCounters'),
    async handler({ call, params, args }) {
      await call.s3Endpoint.resetCounters({
        id: params.id ?? '',
        bucket: str(args, 'bucket') ?? '',
        storePrefix: str(args, 'store-prefix'),
      });
      return result(null);
    },
  },
  {
    method: 'PUT',
    path: '/admin/datastore/:store/s3-refresh',
    access: accessOf('datastore.s3Refresh'),
    async handler({ call, params }) {
      return result((await call.datastore.s3Refresh({ store: params.store ?? '' })).taskId);
    },
  },
];
