import type { RestRoute } from '../route.js';
import { accessRoutes, roleRoutes } from './access.js';
import { aclRoutes } from './acl.js';
import { miscRoutes } from './misc.js';
import { nodeRoutes } from './nodes.js';
import { tokenRoutes } from './tokens.js';

/** Every REST route; the access-matrix test walks this list. */
export const restRoutes: RestRoute[] = [
  ...miscRoutes,
  ...accessRoutes,
  ...tokenRoutes,
  ...aclRoutes,
  ...roleRoutes,
  ...nodeRoutes,
];
