// Step 'verify': runVerify over the insert namespace (the snapshots the insert step just wrote):
// every distinct chunk is loaded (CRC), decoded and checked against its digest and size, and
// each manifest gets its verify state. Bytes come from the engine's own per-index log lines.
import { runVerify } from '@pbs/datastore';
import { benchContext, openStore } from '../store.mjs';
import { mbps, timed } from '../util.mjs';

const VERIFIED = /verified ([\d.]+)\/([\d.]+) MiB in/;

export async function verify(p) {
  const ds = await openStore(p);
  let readMib = 0;
  let decodedMib = 0;
  const ctx = benchContext((message) => {
    const m = VERIFIED.exec(message);
    if (m) {
      readMib += Number(m[1]);
      decodedMib += Number(m[2]);
    }
  });
  const r = await timed(() => runVerify(ds, ctx, { ns: p.insertNs }));
  const stored = readMib * 1048576;
  const plain = decodedMib * 1048576;
  return {
    ...r.m,
    verified_snapshots: r.value.verifiedSnapshots,
    failed_snapshots: r.value.failedSnapshots,
    stored_bytes: Math.round(stored),
    plain_bytes: Math.round(plain),
    mb_s: mbps(stored, r.m.wall_s),
    plain_mb_s: mbps(plain, r.m.wall_s),
  };
}
