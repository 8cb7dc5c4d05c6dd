import fs from 'node:fs/promises';
import { AppError } from '@pbs/api-types/errors';
import type { BackupSpec } from '../repo/names.js';

/*
 * Checks the backup source specifications before anything is sent (create_backup in
 * proxmox-backup-client main.rs): each archive name once; `.pxar` a directory, `.img` a regular
 * file or block device (not empty) or a FIFO (unknown size), `.conf`/`.log` a regular file.
 */

export interface CheckedSource {
  readonly spec: BackupSpec;
  /** image size; undefined for FIFOs and block devices (read until EOF) */
  readonly size?: number;
  readonly fileType: 'dir' | 'file' | 'block' | 'fifo';
}

async function statSource(source: string) {
  try {
    return await fs.stat(source);
  } catch (err) {
    throw new AppError('INVALID_ARGUMENT', `unable to access '${source}' - ${(err as Error).message}`, {
      cause: err,
    });
  }
}

export async function checkSources(specs: readonly BackupSpec[]): Promise<CheckedSource[]> {
  const seen = new Set<string>();
  const pipes = new Set<string>();
  const out: CheckedSource[] = [];
  for (const spec of specs) {
    if (seen.has(spec.archive)) throw new AppError('INVALID_ARGUMENT', `got target twice: '${spec.archive}'`);
    seen.add(spec.archive);
    const st = await statSource(spec.source);
    switch (spec.kind) {
      case 'pxar':
        if (!st.isDirectory()) {
          throw new AppError(
            'INVALID_ARGUMENT',
            `got unexpected file type (expected directory): ${spec.source}`,
          );
        }
        out.push({ spec, fileType: 'dir' });
        break;
      case 'img':
        if (st.isFile()) {
          if (st.size === 0) throw new AppError('INVALID_ARGUMENT', `got zero-sized file '${spec.source}'`);
          out.push({ spec, size: st.size, fileType: 'file' });
        } else if (st.isBlockDevice()) {
          out.push({ spec, fileType: 'block' });
        } else if (st.isFIFO()) {
          const key = `${st.dev}:${st.ino}`;
          if (pipes.has(key)) throw new AppError('INVALID_ARGUMENT', `got duplicate pipe '${spec.source}'`);
          pipes.add(key);
          out.push({ spec, fileType: 'fifo' });
        } else {
          throw new AppError(
            'INVALID_ARGUMENT',
            `got unexpected file type (expected file, block device, or fifo): ${spec.source}`,
          );
        }
        break;
      case 'conf':
      case 'log':
        if (!st.isFile()) {
          throw new AppError(
            'INVALID_ARGUMENT',
            `got unexpected file type (expected regular file): ${spec.source}`,
          );
        }
        out.push({ spec, size: st.size, fileType: 'file' });
        break;
    }
  }
  return out;
}
