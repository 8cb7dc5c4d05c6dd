import { pxarArchiver } from '../backup/pxar-archiver.js';
import { pxarExtractor } from '../reader/pxar-extract.js';
import { catalogCommand } from './commands/catalog.js';
import type { PxarPlugins } from './program.js';

/* The pxar archiver, extractor and catalog commands (from @pbs/pxar), plugged into the CLI. */
export function pxarPlugins(signal?: AbortSignal): PxarPlugins {
  return {
    archiver: (opts) => pxarArchiver({ ...opts, ...(signal && { signal }) }),
    extractor: (opts) => pxarExtractor({ ...opts, ...(signal && { signal }) }),
    catalog: catalogCommand,
  };
}
