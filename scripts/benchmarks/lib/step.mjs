// Entry of one measurement step in its own process (fresh heap, fresh JIT, nothing cached from
// earlier steps): `node step.mjs <name>` with the parameters as JSON in BENCH_STEP_PARAMS.
// Logs go to stderr; the result is the one stdout line starting with 'BENCH_RESULT '.
// The engine is imported through the workspace package names, which resolve to the packages'
// dist (built by `tsc -b`) in plain Node.
const STEPS = {
  setup: async () => (await import('./steps/setup.mjs')).setup,
  insert: async () => (await import('./steps/insert.mjs')).insert,
  verify: async () => (await import('./steps/verify.mjs')).verify,
  'list-seed': async () => (await import('./steps/list.mjs')).listSeed,
  'list-engine': async () => (await import('./steps/list.mjs')).listEngine,
  trpc: async () => (await import('./steps/trpc.mjs')).trpc,
  'gc-fixture': async () => (await import('./steps/gc.mjs')).gcFixture,
  gc: async () => (await import('./steps/gc.mjs')).gc,
};

const name = process.argv[2] ?? '';
const load = STEPS[name];
if (!load) {
  process.stderr.write(`unknown step '${name}' (one of ${Object.keys(STEPS).join(', ')})\n`);
  process.exit(2);
}
const params = JSON.parse(process.env.BENCH_STEP_PARAMS ?? '{}');
try {
  const result = await (await load())(params);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
} catch (err) {
  process.stderr.write(
    `step ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
}
