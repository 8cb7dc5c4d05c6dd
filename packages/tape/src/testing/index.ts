/**
 * @pbs/tape/testing: a virtual tape library fixture for tests and the tape benchmark's
 * throughput measurement. Nothing here imports vitest.
 */
export * from './fixture.js';
export * from './throughput.js';
