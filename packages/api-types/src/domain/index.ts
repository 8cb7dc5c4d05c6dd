export * from './names.js';
export * from './privileges.js';
export * from './task.js';
export * from './upid.js';
export * from './datastore.js';
export * from './backup.js';
export * from './sync.js';
export * from './tape.js';
