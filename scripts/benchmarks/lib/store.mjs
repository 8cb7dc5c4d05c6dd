// Opening the benchmark datastore from a step process (engine from the built dist), and the
// operation context the engine's GC and verify take.
import { LocalFsBackend } from '@pbs/storage';
import { Datastore } from '@pbs/datastore';

/**
 * The store as the server would open it: LocalFsBackend with the given sync level (PBS's
 * default 'filesystem' unless a step says otherwise) and, when given, an injected clock shared
 * by backend and datastore (GC runs "in the future" so that unreferenced chunks are old).
 */
export function openStore(p, { syncLevel = 'filesystem', clock } = {}) {
  const backend = new LocalFsBackend({ name: p.name, base: p.storeDir, syncLevel, clock });
  return Datastore.open({ name: p.name, backend, lockDir: p.lockDir, clock });
}

export async function createStore(p, { syncLevel = 'filesystem' } = {}) {
  const backend = new LocalFsBackend({ name: p.name, base: p.storeDir, syncLevel });
  return Datastore.create({ name: p.name, backend, lockDir: p.lockDir });
}

/** An OperationContext with a task id; `onLog(message, tMs)` sees every log and warning line. */
export function benchContext(onLog = () => undefined) {
  const t0 = performance.now();
  let warnings = 0;
  return {
    upid: 'UPID:bench:00000000:00000000:00000000:00000000:bench:store:root@pam:',
    signal: new AbortController().signal,
    log: (message) => onLog(message, performance.now() - t0),
    warn: (message) => {
      warnings++;
      onLog(`WARN: ${message}`, performance.now() - t0);
    },
    progress: () => undefined,
    get warnings() {
      return warnings;
    },
  };
}

/** true if the namespace (one level below the root) exists */
export async function hasNamespace(ds, name) {
  const list = await ds.listNamespaces('', 1);
  return list.some((n) => n.ns === name);
}
