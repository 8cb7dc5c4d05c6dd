import { t } from '../../trpc/init.js';
import { preview } from './preview.js';
import { run } from './run.js';

export const pruneRouter = t.router({ preview, run });
