import { t } from '../../trpc/init.js';
import { follow } from './follow.js';
import { get } from './get.js';
import { list } from './list.js';
import { log } from './log.js';
import { stats } from './stats.js';
import { stop } from './stop.js';

export const taskRouter = t.router({ list, get, log, follow, stop, stats });
