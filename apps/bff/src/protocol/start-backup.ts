/**
 * Starting a backup session: PBS's checks in order (privilege, datastore writable, benchmark
 * group rule, then the engine's group lock, owner and time rules), then a 'backup' worker task
 * that lives as long as the HTTP/2 session. A session that ends without /finish removes its
 * snapshot and ends the task with an error.
 */
import { AppError } from '@pbs/api-types';
import { MAX_ENCODED_SIZE, type BackupWriter } from '@pbs/datastore';
import type { TaskContext } from '@pbs/tasks';
import { datastoreAclPath } from '../services/datastore/content-access.js';
import { startVerify } from '../services/datastore/operations.js';
import { BackupSession } from './backup-session.js';
import { serveH2 } from './h2-server.js';
import { flag } from './query.js';
import { snapshotLabel, snapshotParams, type SnapshotParams } from './snapshot-params.js';
import { BACKUP_PROTOCOL, type UpgradeRequest } from './upgrade-request.js';

function checkBenchmark(p: SnapshotParams, benchmark: boolean): void {
  const isBenchmarkGroup = p.type === 'host' && p.id === 'benchmark';
  if (isBenchmarkGroup && !benchmark)
    throw new AppError(
      'INVALID_ARGUMENT',
      "unable to run backup into 'host/benchmark' without the benchmark flag",
    );
  if (!isBenchmarkGroup && benchmark)
    throw new AppError('INVALID_ARGUMENT', "benchmark sessions must use the group 'host/benchmark'");
}

async function runSession(
  up: UpgradeRequest,
  p: SnapshotParams,
  writer: BackupWriter,
  ctx: TaskContext,
  benchmark: boolean,
): Promise<void> {
  ctx.log(
    `starting new ${benchmark ? 'benchmark' : 'backup'} on datastore '${p.store}' from ${up.remote}: "${snapshotLabel(p)}"`,
  );
  if (writer.previous !== undefined)
    ctx.log(`previous backup time: ${new Date(writer.previous.time * 1000).toISOString()}`);
  const session = new BackupSession(writer, {
    log: (message) => ctx.log(message),
    progress: ({ bytes, chunks, duplicates }) =>
      ctx.progress({
        bytesDone: bytes,
        itemsDone: chunks,
        phase: `${chunks} chunks uploaded, ${duplicates} already stored`,
      }),
  });
  const socket = await up.accept(BACKUP_PROTOCOL);
  const { session: h2, closed } = serveH2(socket, {
    routes: session.routes(),
    maxBody: MAX_ENCODED_SIZE,
    onError: (err, req) =>
      ctx.log(`${req.method} ${req.path}: ${err instanceof Error ? err.message : String(err)}`),
  });
  const onAbort = () => h2.destroy();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  await closed;
  ctx.signal.removeEventListener('abort', onAbort);
  if (!session.finished || benchmark) {
    await session.end().catch((err: unknown) => ctx.warn(`cleanup failed: ${String(err)}`));
    if (benchmark && session.finished) return;
    throw new Error(
      ctx.signal.aborted ? 'backup aborted' : 'backup ended without finish - the snapshot was removed',
    );
  }
}

export async function startBackupSession(up: UpgradeRequest): Promise<void> {
  const { services, caller, query } = up;
  const p = snapshotParams(query);
  await services.access.checkPrivileges(caller.authId, datastoreAclPath(p.store, p.ns), ['Datastore.Backup']);
  const { datastore, config } = await services.datastores.open(p.store, 'write');
  const benchmark = flag(query, 'benchmark');
  checkBenchmark(p, benchmark);
  const writer = await datastore.beginBackup({
    ns: p.ns,
    group: { type: p.type, id: p.id },
    time: p.time,
    authId: caller.authId,
    // pbs-formats §11.5: chunk uploads bypass the local cache of an S3 datastore
    noCache: flag(query, 'no-cache'),
  });
  try {
    await services.tasks.spawn({
      type: benchmark ? 'benchmark' : 'backup',
      id: `${p.store}:${p.type}/${p.id}`,
      authId: caller.authId,
      run: (ctx) => runSession(up, p, writer, ctx, benchmark),
      onEnd: async (status) => {
        if (status.state === 'running' || status.state === 'error' || benchmark || config.verifyNew !== true)
          return;
        const snapshot = { type: p.type, id: p.id, time: p.time };
        await startVerify(
          services,
          p.store,
          { store: p.store, ns: p.ns, snapshot, ignoreVerified: false },
          caller.authId,
        );
      },
    });
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
