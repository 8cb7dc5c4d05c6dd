import { t } from '../../trpc/init.js';
import { list } from './list.js';
import { versions } from './versions.js';

export const browseRouter = t.router({ list, versions });
