import type { RestRoute } from '../route.js';
import { accessRoutes, roleRoutes } from './access.js';
import { aclRoutes } from './acl.js';
import { miscRoutes } from './misc.js';
import { nodeRoutes } from './nodes.js';
import { tokenRoutes } from './tokens.js';
import { datastoreAdminRoutes } from './datastore-admin.js';
import { datastoreConfigRoutes } from './datastore-config.js';
import { datastoreContentRoutes } from './datastore-content.js';
import { datastoreFileRoutes } from './datastore-files.js';
import { s3Routes } from './s3.js';
import { syncRoutes } from './sync.js';
import { tapeRoutes } from './tape.js';

/** Every REST route; the access-matrix test walks this list. */
export const restRoutes: RestRoute[] = [
  ...miscRoutes,
  ...accessRoutes,
  ...tokenRoutes,
  ...aclRoutes,
  ...roleRoutes,
  ...nodeRoutes,
  ...datastoreConfigRoutes,
  ...datastoreContentRoutes,
  ...datastoreAdminRoutes,
  ...datastoreFileRoutes,
  ...s3Routes,
  ...syncRoutes,
  ...tapeRoutes,
];
