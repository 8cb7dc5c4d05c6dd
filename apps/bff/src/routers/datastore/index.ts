import { t } from '../../trpc/init.js';
import { create } from './create.js';
import { get } from './get.js';
import { list } from './list.js';
import { remove } from './remove.js';
import { s3Refresh } from './s3-refresh.js';
import { status } from './status.js';
import { update } from './update.js';
import { usage } from './usage.js';

export const datastoreRouter = t.router({ list, get, create, update, remove, status, usage, s3Refresh });
