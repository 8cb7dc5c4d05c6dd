import { t } from '../trpc/init.js';
import { aclRouter } from './acl/index.js';
import { authRouter } from './auth/index.js';
import { nodeRouter } from './node/index.js';
import { taskRouter } from './task/index.js';
import { tokenRouter } from './token/index.js';
import { userRouter } from './user/index.js';
import { browseRouter } from './browse/index.js';
import { datastoreRouter } from './datastore/index.js';
import { gcRouter } from './gc/index.js';
import { groupRouter } from './group/index.js';
import { pruneJobRouter, verifyJobRouter } from './jobs/index.js';
import { namespaceRouter } from './namespace/index.js';
import { pruneRouter } from './prune/index.js';
import { remoteRouter } from './remote/index.js';
import { s3EndpointRouter } from './s3/index.js';
import { snapshotRouter } from './snapshot/index.js';
import { syncJobRouter, syncRouter } from './sync/index.js';
import {
  tapeChangerRouter,
  tapeDriveRouter,
  tapeJobRouter,
  tapeKeyRouter,
  tapeMediaRouter,
  tapePoolRouter,
  tapeRouter,
} from './tape/index.js';
import { verifyRouter } from './verify/index.js';

export const appRouter = t.router({
  auth: authRouter,
  node: nodeRouter,
  task: taskRouter,
  user: userRouter,
  token: tokenRouter,
  acl: aclRouter,
  datastore: datastoreRouter,
  namespace: namespaceRouter,
  group: groupRouter,
  snapshot: snapshotRouter,
  prune: pruneRouter,
  gc: gcRouter,
  verify: verifyRouter,
  pruneJob: pruneJobRouter,
  verifyJob: verifyJobRouter,
  browse: browseRouter,
  s3Endpoint: s3EndpointRouter,
  remote: remoteRouter,
  syncJob: syncJobRouter,
  sync: syncRouter,
  tape: tapeRouter,
  tapeDrive: tapeDriveRouter,
  tapeChanger: tapeChangerRouter,
  tapePool: tapePoolRouter,
  tapeMedia: tapeMediaRouter,
  tapeJob: tapeJobRouter,
  tapeKey: tapeKeyRouter,
});

export type AppRouter = typeof appRouter;
