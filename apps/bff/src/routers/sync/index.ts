import { t } from '../../trpc/init.js';
import { pull, push } from './one-shot.js';
import { create, get, list, remove, run, update } from './sync-jobs.js';

export const syncJobRouter = t.router({ list, get, create, update, remove, run });
export const syncRouter = t.router({ pull, push });
