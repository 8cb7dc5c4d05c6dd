import { t } from '../../trpc/init.js';
import { run } from './run.js';

export const verifyRouter = t.router({ run });
