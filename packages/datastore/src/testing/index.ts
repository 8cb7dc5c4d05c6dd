/**
 * @pbs/datastore/testing: the golden vectors (testdata/vectors, made by the reference PBS code)
 * and helpers around them. Test files only.
 */
export * from './vectors.js';
export * from './vector-datastore.js';
