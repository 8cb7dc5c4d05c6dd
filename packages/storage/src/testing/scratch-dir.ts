import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const SHM = '/dev/shm';

function tmpfsAvailable(): boolean {
  try {
    fs.accessSync(SHM, fs.constants.W_OK);
    return fs.statSync(SHM).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A new temp directory, on tmpfs when the machine has one: a full chunk store layout (65536
 * directories) takes well under a second there, but 3–30 s on a busy disk.
 */
export async function makeScratchDir(prefix: string): Promise<string> {
  const parent = tmpfsAvailable() ? SHM : os.tmpdir();
  return fsp.mkdtemp(path.join(parent, prefix));
}
