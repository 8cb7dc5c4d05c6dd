import { t } from '../../trpc/init.js';
import { check } from './check.js';
import { create } from './create.js';
import { get } from './get.js';
import { list } from './list.js';
import { listBuckets } from './list-buckets.js';
import { prices, setPrices } from './prices.js';
import { remove } from './remove.js';
import { resetCounters } from './reset-counters.js';
import { update } from './update.js';

export const s3EndpointRouter = t.router({
  list,
  get,
  create,
  update,
  remove,
  check,
  listBuckets,
  prices,
  setPrices,
  resetCounters,
});
