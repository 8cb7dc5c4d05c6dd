/** /api2/json/access/users/{userid}/token[/{name}]: API tokens as PBS serves them. */
import { AppError } from '@pbs/api-types';
import { bool, compact, num, str } from '../params.js';
import { accessOf, result, type RestContext, type RestRoute } from '../route.js';

function tokenId(params: Record<string, string>): string {
  return `${params.userid ?? ''}!${params.name ?? ''}`;
}

async function tokensOf({ call, params }: RestContext) {
  const { items, digest } = await call.user.list();
  const user = items.find((u) => u.userid === params.userid);
  if (user === undefined) throw new AppError('NOT_FOUND', `user '${params.userid}' not found`);
  return { tokens: user.tokens, digest };
}

export const tokenRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/access/users/:userid/token',
    access: accessOf('user.list'),
    async handler(rest) {
      const { tokens, digest } = await tokensOf(rest);
      return result(tokens, { digest });
    },
  },
  {
    method: 'GET',
    path: '/access/users/:userid/token/:name',
    access: accessOf('user.list'),
    async handler(rest) {
      const { tokens, digest } = await tokensOf(rest);
      const token = tokens.find((tk) => tk.tokenid === tokenId(rest.params));
      if (token === undefined)
        throw new AppError('NOT_FOUND', `api token '${tokenId(rest.params)}' not found`);
      return result(token, { digest });
    },
  },
  {
    method: 'POST',
    path: '/access/users/:userid/token/:name',
    access: accessOf('token.create'),
    async handler({ call, params, args }) {
      const created = await call.token.create(
        compact({
          userid: params.userid ?? '',
          tokenName: params.name ?? '',
          comment: str(args, 'comment'),
          enable: bool(args, 'enable'),
          expire: num(args, 'expire'),
        }),
      );
      return result(created);
    },
  },
  {
    method: 'PUT',
    path: '/access/users/:userid/token/:name',
    access: accessOf('token.update'),
    async handler({ call, params, args }) {
      const tokenid = tokenId(params);
      await call.token.update(
        compact({
          tokenid,
          comment: str(args, 'comment'),
          enable: bool(args, 'enable'),
          expire: num(args, 'expire'),
          digest: str(args, 'digest'),
        }),
      );
      if (bool(args, 'regenerate') === true) return result(await call.token.regenerate({ tokenid }));
      return result(null);
    },
  },
  {
    method: 'DELETE',
    path: '/access/users/:userid/token/:name',
    access: accessOf('token.remove'),
    async handler({ call, params, args }) {
      await call.token.remove(compact({ tokenid: tokenId(params), digest: str(args, 'digest') }));
      return result(null);
    },
  },
];
