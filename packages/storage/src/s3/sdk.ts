import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import type * as ClientS3 from '@aws-sdk/client-s3';

/*
 * @aws-sdk/client-s3 loaded through require(), so the CommonJS build (dist-cjs) runs in
 * production and in tests alike.
 *
 * vitest starts its workers with the bundler condition `--conditions module`, under which
 * Node's require() of some SDK packages resolves to their dist-es build, whose extensionless
 * imports no Node loader can resolve. While the SDK loads, resolutions that land in an
 * `@aws-sdk/`, `@smithy/` or `@aws-crypto/` dist-es file are redirected to the dist-cjs twin
 * (every one of these packages ships both). Without that condition nothing is redirected.
 */

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve };
const SDK_ES_FILE = /[/\\]node_modules[/\\]@(?:aws-sdk|smithy|aws-crypto)[/\\][^/\\]+[/\\]dist-es[/\\]/;

function loadSdk(): typeof ClientS3 {
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    const resolved = original.call(this, request, parent, isMain, options);
    if (!SDK_ES_FILE.test(resolved)) return resolved;
    const cjs = resolved.replace(/([/\\])dist-es([/\\])/, '$1dist-cjs$2');
    return fs.existsSync(cjs) ? cjs : resolved;
  };
  try {
    return createRequire(import.meta.url)('@aws-sdk/client-s3') as typeof ClientS3;
  } finally {
    moduleInternals._resolveFilename = original;
  }
}

export const sdk = loadSdk();
