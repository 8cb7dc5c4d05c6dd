import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';

/*
 * Replace-by-rename, as PBS's replace_file: readers see the old or the new content, never a
 * mix. The temp file lives in the target directory so the rename stays on one filesystem, and
 * the directory is fsynced so the rename itself survives a crash.
 */

export interface ReplaceFileOptions {
  /** permission bits set on the new file before it becomes visible (umask does not apply) */
  mode?: number;
}

function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.tmp_${randomBytes(6).toString('hex')}`);
}

function failure(target: string, err: unknown): AppError {
  const reason = err instanceof Error ? err.message : String(err);
  return new AppError('INTERNAL', `unable to replace file '${target}': ${reason}`, { cause: err });
}

export async function replaceFileAtomic(
  target: string,
  data: string | Uint8Array,
  opts: ReplaceFileOptions = {},
): Promise<void> {
  const temp = tempPathFor(target);
  try {
    const handle = await fsp.open(temp, 'wx', opts.mode ?? 0o666);
    try {
      if (opts.mode !== undefined) await handle.chmod(opts.mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, target);
  } catch (err) {
    await fsp.rm(temp, { force: true });
    throw failure(target, err);
  }
  await syncDirectory(path.dirname(target));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function replaceFileAtomicSync(
  target: string,
  data: string | Uint8Array,
  opts: ReplaceFileOptions = {},
): void {
  const temp = tempPathFor(target);
  try {
    const fd = fs.openSync(temp, 'wx', opts.mode ?? 0o666);
    try {
      if (opts.mode !== undefined) fs.fchmodSync(fd, opts.mode);
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw failure(target, err);
  }
  const dirFd = fs.openSync(path.dirname(target), 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}
