/**
 * @pbs/datastore/testing: the golden vectors (testdata/vectors, made by the reference PBS code)
 * and helpers around them; seeding real snapshots (seedSnapshot, seedSnapshots) for tests,
 * fixtures and benchmarks; throwaway datastores on tmpfs. Nothing here imports vitest, so
 * fixtures outside of test runs may use it.
 */
export * from './vectors.js';
export * from './vector-datastore.js';
export * from './seed.js';
export * from './test-datastore.js';
export { makeScratchDir } from './scratch-dir.js';
export * from './s3-datastore.js';
export * from './s3-throughput.js';
