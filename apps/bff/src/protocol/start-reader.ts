/**
 * Starting a reader session: Datastore.Read, or Datastore.Backup as owner of the group; the
 * snapshot must be finished; its shared lock is held for the whole 'reader' worker task.
 */
import { StoreAccess } from '../services/datastore/content-access.js';
import { ReaderSession } from './reader-session.js';
import { serveH2 } from './h2-server.js';
import { snapshotLabel, snapshotParams } from './snapshot-params.js';
import { READER_PROTOCOL, type UpgradeRequest } from './upgrade-request.js';

export async function startReaderSession(up: UpgradeRequest): Promise<void> {
  const { services, caller, query } = up;
  const p = snapshotParams(query);
  const access = await StoreAccess.of(services, caller, p.store, p.ns);
  const { datastore } = await services.datastores.open(p.store, 'read');
  const group = { type: p.type, id: p.id };
  const owner = access.has('Datastore.Read') ? null : await datastore.getOwner(p.ns, group).catch(() => null);
  access.require(['Datastore.Read'], ['Datastore.Backup'], owner, `read snapshot '${snapshotLabel(p)}'`);
  const reader = await datastore.openReader(p.ns, { ...group, time: p.time });
  const hex = p.time.toString(16).toUpperCase().padStart(8, '0');
  try {
    await services.tasks.spawn({
      type: 'reader',
      id: `${p.store}:${p.type}/${p.id}/${hex}`,
      authId: caller.authId,
      run: async (ctx) => {
        ctx.log(
          `starting new reader session on datastore '${p.store}' from ${up.remote}: "${snapshotLabel(p)}"`,
        );
        const session = new ReaderSession(reader, (message) => ctx.log(message));
        try {
          const socket = await up.accept(READER_PROTOCOL);
          const { session: h2, closed } = serveH2(socket, { routes: session.routes(), maxBody: 1024 * 1024 });
          const onAbort = () => h2.destroy();
          ctx.signal.addEventListener('abort', onAbort, { once: true });
          await closed;
          ctx.signal.removeEventListener('abort', onAbort);
          ctx.log(`reader finished, ${session.bytesSent} bytes sent`);
        } finally {
          reader.close();
        }
      },
    });
  } catch (err) {
    reader.close();
    throw err;
  }
}
