import { t } from '../trpc/init.js';
import { aclRouter } from './acl/index.js';
import { authRouter } from './auth/index.js';
import { nodeRouter } from './node/index.js';
import { taskRouter } from './task/index.js';
import { tokenRouter } from './token/index.js';
import { userRouter } from './user/index.js';

export const appRouter = t.router({
  auth: authRouter,
  node: nodeRouter,
  task: taskRouter,
  user: userRouter,
  token: tokenRouter,
  acl: aclRouter,
});

export type AppRouter = typeof appRouter;
