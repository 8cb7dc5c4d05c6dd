import { t } from '../../trpc/init.js';
import { create } from './create.js';
import { fetchFingerprint } from './fetch-fingerprint.js';
import { get } from './get.js';
import { list } from './list.js';
import { remove } from './remove.js';
import { scanDatastores, scanGroups, scanNamespaces } from './scan.js';
import { testConnection } from './test-connection.js';
import { update } from './update.js';

export const remoteRouter = t.router({
  list,
  get,
  create,
  update,
  remove,
  testConnection,
  fetchFingerprint,
  scanDatastores,
  scanNamespaces,
  scanGroups,
});
