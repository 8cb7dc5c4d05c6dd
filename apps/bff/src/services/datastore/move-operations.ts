/**
 * Moving groups and namespaces inside a datastore as worker tasks (PBS move-group and
 * move-namespace): a large namespace moves group by group under locks, which can take a while
 * and may partly fail, so the caller gets a UPID and the task log names every group.
 * The engine's checks run once before the task starts, for a fast error next to the dialog,
 * and again under the locks inside the task, which is the authoritative gate.
 */
import type { BackupGroupRef } from '@pbs/datastore';
import type { Services } from '../services.js';

export interface MoveGroupRequest {
  store: string;
  ns: string;
  group: BackupGroupRef;
  targetNs: string;
  mergeGroup: boolean;
}

export interface MoveNamespaceRequest {
  store: string;
  ns: string;
  targetNs: string;
  maxDepth?: number;
  deleteSource: boolean;
  mergeGroups: boolean;
}

export async function startMoveGroup(
  services: Services,
  req: MoveGroupRequest,
  authId: string,
): Promise<string> {
  const { datastore } = await services.datastores.open(req.store, 'write');
  const merge = { merge: req.mergeGroup };
  await datastore.checkMoveGroup(req.ns, req.group, req.targetNs, merge);
  return services.tasks.spawn({
    type: 'move-group',
    id: `${req.store}:${req.ns}/${req.group.type}/${req.group.id}:${req.targetNs}`,
    authId,
    run: async (ctx) => {
      const { datastore: ds } = await services.datastores.open(req.store, 'write');
      await ds.moveGroup(req.ns, req.group, req.targetNs, { ...merge, log: ctx });
    },
  });
}

export async function startMoveNamespace(
  services: Services,
  req: MoveNamespaceRequest,
  authId: string,
): Promise<string> {
  const { datastore } = await services.datastores.open(req.store, 'write');
  await datastore.checkMoveNamespace(req.ns, req.targetNs, req.maxDepth);
  return services.tasks.spawn({
    type: 'move-namespace',
    id: `${req.store}:${req.ns}:${req.targetNs}`,
    authId,
    run: async (ctx) => {
      const { datastore: ds } = await services.datastores.open(req.store, 'write');
      ctx.log(`moving namespace '${req.ns}' to '${req.targetNs}'`);
      await ds.moveNamespace(req.ns, req.targetNs, {
        maxDepth: req.maxDepth,
        deleteSource: req.deleteSource,
        mergeGroups: req.mergeGroups,
        log: ctx,
      });
    },
  });
}
