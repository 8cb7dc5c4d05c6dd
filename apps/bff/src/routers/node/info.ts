import { ServerInfoSchema } from '@pbs/api-types';
import { publicProcedure } from '../../trpc/procedures.js';

export const info = publicProcedure.output(ServerInfoSchema).query(({ ctx }) => ctx.services.info);
