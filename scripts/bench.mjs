// `npm run bench`: runs every registered benchmark and prints its figures next to the peers
// (restic, borg) measured in the same run. Benchmarks register in scripts/benchmarks/*.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureInstalled, root } from './lib.mjs';

await ensureInstalled();
const dir = path.join(root, 'scripts', 'benchmarks');
const files = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.mjs'))
      // BENCH_ONLY=ingest (or datastore,ingest) runs just those benchmarks
      .filter((f) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(f.slice(0, -4)))
      .sort()
  : [];
if (files.length === 0) {
  process.stdout.write('no benchmarks are registered yet (they arrive with the datastore engine)\n');
  process.exit(0);
}
for (const file of files) {
  const bench = await import(pathToFileURL(path.join(dir, file)).href);
  await bench.run({ root, args: process.argv.slice(2) });
}
