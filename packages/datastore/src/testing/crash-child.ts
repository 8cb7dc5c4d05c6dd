/*
 * The process the crash test kills: it runs backups (some in parallel, some aborted), prune and
 * GC in a loop on a shared datastore, with a clock that jumps 25 hours per round so that GC
 * really removes chunks. Usage: crash-child.ts <base> <lockDir> <seed> <start epoch seconds>.
 * It prints "ready" once the datastore is open; everything after that may be cut off by SIGKILL.
 */
import { LocalFsBackend } from '@pbs/storage';
import { DataBlob } from '../data-blob.js';
import { Datastore } from '../datastore.js';
import { sha256Digest } from '../digest.js';
import { runGarbageCollection } from '../gc/gc-run.js';
import { encodeManifestBlob } from '../manifest-signature.js';
import { executePrune } from '../prune/prune-execute.js';
import { planPruneNamespace } from '../prune/prune-plan.js';
import { silentContext } from '../operation-context.js';

const [base, lockDir, seedArg, startArg] = process.argv.slice(2);
let seed = Number(seedArg);
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
let offsetMs = Number(startArg) * 1000 - Date.now();
const clock = { now: () => Date.now() + offsetMs };
const nowSec = () => Math.floor(clock.now() / 1000);

async function backup(ds: Datastore, id: string, round: number): Promise<void> {
  const time = nowSec();
  const writer = await ds.beginBackup({ ns: '', group: { type: 'host', id }, time, authId: 'root@pam' });
  const index = await writer.createDynamicIndex('root.pxar.didx');
  let end = 0;
  const pieces = [
    ...Array.from({ length: 6 }, () => `shared ${Math.floor(random() * 20)}`),
    `unique ${id} ${round} ${time}`,
  ];
  for (const text of pieces) {
    const data = Buffer.from(text.repeat(200));
    const digest = sha256Digest(data);
    await writer.insertChunk(digest, DataBlob.encode(data), { size: data.length });
    end += data.length;
    await index.addChunk(end, digest);
  }
  const csum = (await index.close()).toString('hex');
  if (random() < 0.15) return writer.abort();
  const manifest = encodeManifestBlob({
    backupType: 'host',
    backupId: id,
    backupTime: time,
    files: [{ filename: 'root.pxar.didx', cryptMode: 'none', size: end, csum }],
    unprotected: {},
    signature: null,
  });
  await writer.finish(manifest.raw);
}

async function main(): Promise<void> {
  const backend = new LocalFsBackend({ name: 'crash', base: base as string, syncLevel: 'none', clock });
  const ds = await Datastore.open({ name: 'crash', backend, lockDir: lockDir as string, clock });
  process.stdout.write('ready\n');
  const ctx = {
    ...silentContext(),
    upid: 'UPID:node:00000001:00000001:00000001:6553F100:garbage_collection:crash:root@pam:',
  };
  for (let round = 0; ; round++) {
    const ids = ['a', 'b', 'c'].filter(() => random() < 0.7);
    const work: Promise<unknown>[] = ids.map((id) => backup(ds, id, round));
    if (random() < 0.5) work.push(runGarbageCollection(ds, ctx));
    if (random() < 0.5)
      work.push(planPruneNamespace(ds, '', { keepLast: 2 }).then((plan) => executePrune(ds, plan, ctx)));
    await Promise.allSettled(work);
    offsetMs += 25 * 3600 * 1000;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`crash-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
