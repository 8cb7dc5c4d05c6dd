import { COMPATIBLE_PBS_VERSION, PRODUCT_VERSION } from '../../services/product.js';
import { result, type RestRoute } from '../route.js';

export const miscRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/ping',
    access: { kind: 'public' },
    handler: () => Promise.resolve(result({ pong: true })),
  },
  {
    method: 'GET',
    path: '/version',
    access: { kind: 'authenticated' },
    handler: () =>
      Promise.resolve(result({ ...COMPATIBLE_PBS_VERSION, repoid: `pbs-ts-${PRODUCT_VERSION}` })),
  },
];
