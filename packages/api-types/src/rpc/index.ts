export * from './common.js';
export * from './auth.js';
export * from './node.js';
export * from './task.js';
export * from './access.js';
