/** /api2/json/access/acl and /access/permissions. */
import type { Role } from '@pbs/api-types';
import { bool, compact, str } from '../params.js';
import { accessOf, result, type RestRoute } from '../route.js';

export const aclRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/access/acl',
    access: accessOf('acl.list'),
    async handler({ call, args }) {
      const acl = await call.acl.list(compact({ path: str(args, 'path'), exact: bool(args, 'exact') }));
      return result(acl.items, { digest: acl.digest });
    },
  },
  {
    method: 'PUT',
    path: '/access/acl',
    access: accessOf('acl.update'),
    async handler({ call, args }) {
      await call.acl.update(
        compact({
          path: str(args, 'path') ?? '',
          role: (str(args, 'role') ?? '') as Role,
          authId: str(args, 'auth-id') ?? str(args, 'auth_id') ?? '',
          propagate: bool(args, 'propagate'),
          delete: bool(args, 'delete'),
          digest: str(args, 'digest'),
        }),
      );
      return result(null);
    },
  },
  {
    method: 'GET',
    path: '/access/permissions',
    access: accessOf('acl.permissions'),
    async handler({ call, args }) {
      return result(
        await call.acl.permissions(compact({ authId: str(args, 'auth-id'), path: str(args, 'path') })),
      );
    },
  },
];
