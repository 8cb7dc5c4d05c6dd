import { t } from '../../trpc/init.js';
import { list } from './list.js';
import { run } from './run.js';
import { status } from './status.js';

export const gcRouter = t.router({ status, run, list });
