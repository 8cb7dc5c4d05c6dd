import { z } from 'zod';
import { RealmInfoSchema } from '@pbs/api-types';
import { publicProcedure } from '../../trpc/procedures.js';

export const realms = publicProcedure
  .output(z.array(RealmInfoSchema))
  .query(({ ctx }) => ctx.services.access.realms());
