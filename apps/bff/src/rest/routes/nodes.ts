/** /api2/json/nodes/{node}/...: tasks and node status; `node` is 'localhost' or our host name. */
import os from 'node:os';
import { AppError } from '@pbs/api-types';
import { bool, compact, list, num, str } from '../params.js';
import { accessOf, result, type RestContext, type RestRoute } from '../route.js';

function checkNode({ params }: RestContext): void {
  const node = params.node ?? '';
  const short = os.hostname().split('.')[0];
  if (node !== 'localhost' && node !== short && node !== os.hostname()) {
    throw new AppError('NOT_FOUND', `node '${node}' not found; this server is 'localhost' (${short})`);
  }
}

function upidOf({ params }: RestContext): string {
  return params.upid ?? '';
}

export const nodeRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/nodes/:node/status',
    access: accessOf('node.status'),
    async handler(rest) {
      checkNode(rest);
      return result(await rest.call.node.status());
    },
  },
  {
    method: 'GET',
    path: '/nodes/:node/tasks',
    access: accessOf('task.list'),
    async handler(rest) {
      checkNode(rest);
      const { args } = rest;
      const page = await rest.call.task.list(
        compact({
          start: num(args, 'start'),
          limit: num(args, 'limit'),
          running: bool(args, 'running'),
          errors: bool(args, 'errors'),
          typefilter: str(args, 'typefilter'),
          statusfilter: list(args, 'statusfilter') as ('ok' | 'warning' | 'error' | 'unknown')[] | undefined,
          userfilter: str(args, 'userfilter'),
          store: str(args, 'store'),
          since: num(args, 'since'),
          until: num(args, 'until'),
        }),
      );
      return result(page.items, { total: page.total });
    },
  },
  {
    method: 'GET',
    path: '/nodes/:node/tasks/:upid/status',
    access: accessOf('task.get'),
    async handler(rest) {
      checkNode(rest);
      const status = await rest.call.task.get({ upid: upidOf(rest) });
      const { state, ...pbs } = status;
      return result({ ...pbs, status: state === 'running' ? 'running' : 'stopped', exitstatus: pbs.status });
    },
  },
  {
    method: 'GET',
    path: '/nodes/:node/tasks/:upid/log',
    access: accessOf('task.log'),
    async handler(rest) {
      checkNode(rest);
      const { args } = rest;
      const download = bool(args, 'download') === true;
      const log = await rest.call.task.log(
        compact({
          upid: upidOf(rest),
          start: num(args, 'start'),
          limit: download ? 100_000 : num(args, 'limit'),
        }),
      );
      if (download) {
        rest.res.type('text/plain').send(log.lines.map((line) => `${line.t}\n`).join(''));
        return result(undefined);
      }
      return result(log.lines, { total: log.total, active: log.running });
    },
  },
  {
    method: 'DELETE',
    path: '/nodes/:node/tasks/:upid',
    access: accessOf('task.stop'),
    async handler(rest) {
      checkNode(rest);
      await rest.call.task.stop({ upid: upidOf(rest) });
      return result(null);
    },
  },
];
