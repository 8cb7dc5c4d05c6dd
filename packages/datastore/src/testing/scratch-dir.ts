import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/*
 * A temp directory on tmpfs when there is one (as @pbs/storage/testing's makeScratchDir). Kept
 * here because that module imports vitest, and this one is also used by the server's e2e
 * fixture through seedSnapshot, outside of vitest.
 */

const SHM = '/dev/shm';

function tmpfsAvailable(): boolean {
  try {
    fs.accessSync(SHM, fs.constants.W_OK);
    return fs.statSync(SHM).isDirectory();
  } catch {
    return false;
  }
}

export async function makeScratchDir(prefix: string): Promise<string> {
  return fsp.mkdtemp(path.join(tmpfsAvailable() ? SHM : os.tmpdir(), prefix));
}
