/** Media pools (PBS /config/media-pool); policies are checked before anything is written. */
import { z } from 'zod';
import {
  AppError,
  MediaPoolConfigSchema,
  MediaPoolNameSchema,
  UpdateMediaPoolInputSchema,
  type MediaPoolConfig,
} from '@pbs/api-types';
import { parseAllocationPolicy, parseRetentionPolicy } from '@pbs/tape';
import { t } from '../../trpc/init.js';
import { privilegedProcedure } from '../../trpc/procedures.js';
import { configCrud } from './config-crud.js';

const crud = configCrud<MediaPoolConfig>({
  base: '/tape/pool',
  file: (s) => s.tape.pools,
  configSchema: MediaPoolConfigSchema,
  updateSchema: UpdateMediaPoolInputSchema,
  check: async (services, pool) => {
    parseAllocationPolicy(pool.allocation);
    parseRetentionPolicy(pool.retention);
    if (pool.encrypt !== undefined && !(await services.tape.keys.key(pool.encrypt))) {
      throw new AppError('NOT_FOUND', `tape encryption key ${pool.encrypt} does not exist`);
    }
  },
});

const get = privilegedProcedure(z.object({ name: MediaPoolNameSchema }), {
  privs: ['Tape.Audit'],
  path: (input) => `/tape/pool/${input.name}`,
})
  .output(z.object({ digest: z.string(), config: MediaPoolConfigSchema }))
  .query(async ({ ctx, input }) => {
    const { digest, item } = await ctx.services.tape.pools.get(input.name);
    return { digest, config: item };
  });

export const tapePoolRouter = t.router({ ...crud, get });
