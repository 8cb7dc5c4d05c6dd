import { NodeStatusSchema } from '@pbs/api-types';
import { readNodeStatus } from '../../services/node-status.js';
import { privilegedNoInputProcedure } from '../../trpc/procedures.js';

export const status = privilegedNoInputProcedure({ privs: ['Sys.Audit'], path: '/system/status' })
  .output(NodeStatusSchema)
  .query(({ ctx }) =>
    readNodeStatus({
      dataDir: ctx.services.layout.root,
      fingerprint: ctx.services.certificate.fingerprint,
      cpu: ctx.services.cpu,
      processStartedAt: ctx.services.startedAt,
      now: ctx.services.clock.now(),
    }),
  );
