import { t } from '../../trpc/init.js';
import { create } from './create.js';
import { regenerate } from './regenerate.js';
import { remove } from './remove.js';
import { update } from './update.js';

export const tokenRouter = t.router({ create, update, remove, regenerate });
