import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerInfo } from '@pbs/api-types';

/** Source and build output sit at different depths, so look upwards for our own package.json. */
function readOwnVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@pbs/bff' && pkg.version !== undefined) return pkg.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}

export const PRODUCT_NAME = 'TS Backup Server';
export const PRODUCT_VERSION = readOwnVersion();

/** The PBS release whose formats and APIs we follow; REST /version reports it for client compatibility. */
export const COMPATIBLE_PBS_VERSION = { version: '4.2.0', release: '1' };

export function productInfo(bugTrackerUrl: string | null, fingerprint: string): ServerInfo {
  return { product: PRODUCT_NAME, version: PRODUCT_VERSION, release: 'beta', bugTrackerUrl, fingerprint };
}
