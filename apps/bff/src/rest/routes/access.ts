/** /api2/json/access/...: tickets, users, tokens, ACL and permissions as PBS serves them. */
import { AppError, ROLES, ROLE_PRIVILEGES } from '@pbs/api-types';
import { bool, compact, num, str } from '../params.js';
import { accessOf, result, type RestRoute } from '../route.js';

const ticket: RestRoute[] = [
  {
    method: 'POST',
    path: '/access/ticket',
    access: { kind: 'public' },
    async handler({ ctx, args }) {
      const username = str(args, 'username') ?? '';
      const password = str(args, 'password') ?? '';
      const realm = str(args, 'realm');
      const user = realm !== undefined && !username.includes('@') ? `${username}@${realm}` : username;
      const { access } = ctx.services;
      // PBS renews a ticket when it is passed as the password.
      const session = password.startsWith('PBS:')
        ? await access.renewTicket(password)
        : await access.login(user, password, ctx.remoteAddress);
      return result({
        username: session.username,
        ticket: session.ticket,
        CSRFPreventionToken: session.csrfToken,
      });
    },
  },
  {
    method: 'DELETE',
    path: '/access/ticket',
    access: { kind: 'public' },
    async handler({ call }) {
      await call.auth.logout();
      return result(null);
    },
  },
  {
    method: 'GET',
    path: '/access/domains',
    access: accessOf('auth.realms'),
    async handler({ call }) {
      return result(await call.auth.realms());
    },
  },
  {
    method: 'PUT',
    path: '/access/password',
    access: accessOf('auth.changePassword'),
    async handler({ call, args }) {
      await call.auth.changePassword(
        compact({
          userid: str(args, 'userid') ?? '',
          password: str(args, 'password') ?? '',
          confirmationPassword: str(args, 'confirmation-password'),
        }),
      );
      return result(null);
    },
  },
];

const users: RestRoute[] = [
  {
    method: 'GET',
    path: '/access/users',
    access: accessOf('user.list'),
    async handler({ call, args }) {
      const { items, digest } = await call.user.list();
      const withTokens = bool(args, 'include_tokens') === true;
      return result(
        items.map(({ tokens, ...user }) => (withTokens ? { ...user, tokens } : user)),
        { digest },
      );
    },
  },
  {
    method: 'POST',
    path: '/access/users',
    access: accessOf('user.create'),
    async handler({ call, args }) {
      await call.user.create(
        compact({
          userid: str(args, 'userid') ?? '',
          password: str(args, 'password') ?? '',
          comment: str(args, 'comment'),
          enable: bool(args, 'enable'),
          expire: num(args, 'expire'),
          firstname: str(args, 'firstname'),
          lastname: str(args, 'lastname'),
          email: str(args, 'email'),
        }),
      );
      return result(null);
    },
  },
  {
    method: 'GET',
    path: '/access/users/:userid',
    access: accessOf('user.list'),
    async handler({ call, params }) {
      const { items, digest } = await call.user.list();
      const found = items.find((user) => user.userid === params.userid);
      if (found === undefined) throw new AppError('NOT_FOUND', `user '${params.userid}' not found`);
      const { tokens: _tokens, ...user } = found;
      return result(user, { digest });
    },
  },
  {
    method: 'PUT',
    path: '/access/users/:userid',
    access: accessOf('user.update'),
    async handler({ call, params, args }) {
      const userid = params.userid ?? '';
      const deleted = str(args, 'delete')
        ?.split(/[,;\s]+/)
        .filter(Boolean);
      await call.user.update(
        compact({
          userid,
          comment: str(args, 'comment'),
          enable: bool(args, 'enable'),
          expire: num(args, 'expire'),
          firstname: str(args, 'firstname'),
          lastname: str(args, 'lastname'),
          email: str(args, 'email'),
          digest: str(args, 'digest'),
          delete: deleted as ('comment' | 'firstname' | 'lastname' | 'email')[] | undefined,
        }),
      );
      const password = str(args, 'password');
      if (password !== undefined) await call.auth.changePassword({ userid, password });
      return result(null);
    },
  },
  {
    method: 'DELETE',
    path: '/access/users/:userid',
    access: accessOf('user.remove'),
    async handler({ call, params, args }) {
      await call.user.remove(compact({ userid: params.userid ?? '', digest: str(args, 'digest') }));
      return result(null);
    },
  },
];

export const accessRoutes: RestRoute[] = [...ticket, ...users];

export const roleRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/access/roles',
    access: { kind: 'authenticated' },
    handler() {
      return Promise.resolve(
        result(ROLES.map((roleid) => ({ roleid, privs: [...ROLE_PRIVILEGES[roleid]], comment: roleid }))),
      );
    },
  },
];
