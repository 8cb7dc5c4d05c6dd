import { t } from '../../trpc/init.js';
import { list } from './list.js';
import { permissions } from './permissions.js';
import { update } from './update.js';

export const aclRouter = t.router({ list, update, permissions });
