import { AppError } from '@pbs/api-types/errors';
import { SAFE_ID_REGEX } from '@pbs/api-types/domain';
import { MANIFEST_BLOB_NAME } from '../manifest.js';

/*
 * Archive names inside a snapshot (BackupArchiveName in pbs-api-types): a SAFE_ID whose
 * extension says what it is — `.fidx` fixed index, `.didx` dynamic index, `.blob` DataBlob.
 */

export type ArchiveKind = 'fixed' | 'dynamic' | 'blob';

const KIND_BY_EXT: Readonly<Record<string, ArchiveKind>> = { fidx: 'fixed', didx: 'dynamic', blob: 'blob' };
const EXT_BY_KIND: Readonly<Record<ArchiveKind, string>> = {
  fixed: '.fidx',
  dynamic: '.didx',
  blob: '.blob',
};

/** The kind of a file name by extension, or undefined for anything else. */
export function archiveKindOf(name: string): ArchiveKind | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : KIND_BY_EXT[name.slice(dot + 1)];
}

/** INVALID_ARGUMENT unless `name` is a valid archive name (of one of `kinds`, if given). */
export function checkArchiveName(
  name: unknown,
  kinds?: readonly ArchiveKind[],
): { name: string; kind: ArchiveKind } {
  const bad = (reason: string) =>
    new AppError('INVALID_ARGUMENT', `invalid archive name ${JSON.stringify(name)}: ${reason}`, {
      details: { archive: name },
    });
  if (typeof name !== 'string' || !SAFE_ID_REGEX.test(name)) throw bad('not a safe file name');
  if (Buffer.byteLength(name) > 255) throw bad('longer than 255 bytes');
  const kind = archiveKindOf(name);
  if (kind === undefined) throw bad("expected a '.fidx', '.didx' or '.blob' file");
  if (kinds && !kinds.includes(kind))
    throw bad(`expected a ${kinds.map((k) => `'${EXT_BY_KIND[k]}'`).join(' or ')} file`);
  return { name, kind };
}

/** names a client may upload as archives: the manifest comes through finish() only */
export function checkUploadName(name: unknown, kinds: readonly ArchiveKind[]): string {
  const checked = checkArchiveName(name, kinds);
  if (checked.name === MANIFEST_BLOB_NAME) {
    throw new AppError('INVALID_ARGUMENT', `'${MANIFEST_BLOB_NAME}' is written by finish()`);
  }
  return checked.name;
}
