export { tapeRouter } from './backup.js';
export { tapeChangerRouter } from './changer.js';
export { tapeDriveRouter } from './drive.js';
export { tapeJobRouter } from './job.js';
export { tapeMediaRouter } from './media.js';
export { tapePoolRouter } from './pool.js';
export { tapeKeyRouter } from './keys.js';
