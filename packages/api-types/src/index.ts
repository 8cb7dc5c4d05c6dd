export * from './errors.js';
export * from './domain/index.js';
export * from './rpc/index.js';
