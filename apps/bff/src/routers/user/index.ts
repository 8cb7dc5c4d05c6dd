import { t } from '../../trpc/init.js';
import { create } from './create.js';
import { list } from './list.js';
import { remove } from './remove.js';
import { update } from './update.js';

export const userRouter = t.router({ list, create, update, remove });
