import { AppError } from '@pbs/api-types/errors';
import { AUTH_ID_REGEX, splitAuthId } from '@pbs/api-types/domain';
import type { DatastoreCore } from './datastore-core.js';
import { groupDir, type BackupGroupRef } from './hierarchy/backup-ref.js';
import { requireGroup } from './hierarchy/listing.js';

/*
 * Files of a group directory (pbs-formats §1.3): `owner` (the Authid and a newline, created
 * with the group) and `notes` (free text; its first line is the group's comment).
 */

export const OWNER_FILE = 'owner';
export const NOTES_FILE = 'notes';

export function checkAuthId(authId: unknown): string {
  if (typeof authId !== 'string' || authId.length > 64 || !AUTH_ID_REGEX.test(authId)) {
    throw new AppError('INVALID_ARGUMENT', `invalid auth id ${JSON.stringify(authId)}`, {
      details: { authId },
    });
  }
  return authId;
}

/** check_backup_owner: the owner itself, or the user of an owning API token. */
export function isBackupOwner(owner: string, authId: string): boolean {
  if (owner === authId) return true;
  const { user, token } = splitAuthId(owner);
  return token !== undefined && user === authId;
}

async function readOptional(core: DatastoreCore, path: string): Promise<string | undefined> {
  try {
    return (await core.backend.readFile(path)).toString('utf8');
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}

/** The owner (first line, trimmed), or undefined if the group has no owner file. */
export async function readOwner(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<string | undefined> {
  const text = await readOptional(core, `${groupDir(ns, group)}/${OWNER_FILE}`);
  if (text === undefined) return undefined;
  return (text.split('\n', 1)[0] ?? '').trim();
}

/** NOT_FOUND for a missing group, CORRUPT_DATA for a group without a readable owner. */
export async function getOwner(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<string> {
  await requireGroup(core, ns, group);
  const owner = await readOwner(core, ns, group);
  if (owner === undefined || !AUTH_ID_REGEX.test(owner)) {
    throw new AppError(
      'CORRUPT_DATA',
      `datastore '${core.name}': group '${groupDir(ns, group)}' has no valid owner`,
    );
  }
  return owner;
}

/** Writes `<authId>\n`; `exclusive` only when the group is created (O_EXCL in PBS). */
export async function writeOwner(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
  authId: string,
  opts: { exclusive?: boolean } = {},
): Promise<void> {
  await core.backend.writeFile(`${groupDir(ns, group)}/${OWNER_FILE}`, `${checkAuthId(authId)}\n`, opts);
}

export async function setOwner(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
  authId: string,
): Promise<void> {
  checkAuthId(authId);
  await requireGroup(core, ns, group);
  await writeOwner(core, ns, group, authId);
}

export async function getGroupNotes(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<string> {
  await requireGroup(core, ns, group);
  return (await readOptional(core, `${groupDir(ns, group)}/${NOTES_FILE}`)) ?? '';
}

/**
 * The first line of the notes: the group's comment in listings; undefined without a notes file.
 * PBS (read_line) keeps the line's newline; the API's comment is a single line, so it goes.
 */
export async function readGroupComment(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
): Promise<string | undefined> {
  const notes = await readOptional(core, `${groupDir(ns, group)}/${NOTES_FILE}`);
  if (notes === undefined) return undefined;
  const line = notes.split('\n', 1)[0] ?? '';
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** set_group_notes: under the group lock (BUSY while a backup of the group runs). */
export async function setGroupNotes(
  core: DatastoreCore,
  ns: readonly string[],
  group: BackupGroupRef,
  notes: string,
): Promise<void> {
  if (typeof notes !== 'string') throw new AppError('INVALID_ARGUMENT', 'notes must be a string');
  await requireGroup(core, ns, group);
  const lock = await core.locks.lockGroup(ns, group);
  try {
    await core.backend.writeFile(`${groupDir(ns, group)}/${NOTES_FILE}`, notes);
  } finally {
    lock.release();
  }
}
