import { t } from '../../trpc/init.js';
import { create } from './create.js';
import { list } from './list.js';
import { move } from './move.js';
import { remove } from './remove.js';

export const namespaceRouter = t.router({ list, create, remove, move });
