import { t } from '../../trpc/init.js';
import { info } from './info.js';
import { status } from './status.js';

export const nodeRouter = t.router({ info, status });
