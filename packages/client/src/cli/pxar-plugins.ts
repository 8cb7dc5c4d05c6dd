import type { PxarPlugins } from './program.js';

/*
 * The pxar archiver, extractor and catalog commands, once @pbs/pxar provides them. Until then
 * directory archives are refused with a clear error (NOT_IMPLEMENTED from runBackup/runRestore).
 */
export function pxarPlugins(): PxarPlugins {
  return {};
}
