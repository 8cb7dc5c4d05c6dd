import { AppError } from '@pbs/api-types/errors';
import {
  checkGroup,
  checkSnapshot,
  parseSnapshotDirName,
  type BackupGroupRef,
  type SnapshotRef,
} from '@pbs/datastore';
import type { BackupType } from '@pbs/datastore';

/*
 * The names the CLI takes: backup source specifications (`<name>.<pxar|img|conf|log>:<path>`,
 * BACKUP_SOURCE_SCHEMA), archive names as users type them (BackupArchiveName::from_path adds the
 * server extension), and group/snapshot paths `type/id[/YYYY-MM-DDTHH:MM:SSZ]`.
 */

/** the catalog a legacy-mode backup writes beside its pxar archives */
export const CATALOG_NAME = 'catalog.pcat1.didx';

export type SourceKind = 'pxar' | 'img' | 'conf' | 'log';

export interface BackupSpec {
  /** e.g. `root.pxar` */
  readonly archive: string;
  readonly kind: SourceKind;
  /** the server file name: `root.pxar.didx`, `disk.img.fidx`, `x.conf.blob` */
  readonly fileName: string;
  readonly source: string;
}

const BACKUP_SOURCE = /^([a-zA-Z0-9_-]+\.(pxar|img|conf|log)):(.+)$/;
const EXT: Record<SourceKind, string> = { pxar: 'didx', img: 'fidx', conf: 'blob', log: 'blob' };

/** parse_backup_specification */
export function parseBackupSpec(spec: string): BackupSpec {
  const m = BACKUP_SOURCE.exec(spec);
  if (!m) throw new AppError('INVALID_ARGUMENT', `unable to parse backup source specification '${spec}'`);
  const [, archive, kind, source] = m as unknown as [string, string, SourceKind, string];
  return { archive, kind, fileName: `${archive}.${EXT[kind]}`, source };
}

/** BackupArchiveName::from_path: the server file name for a name as the user typed it. */
export function serverArchiveName(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(base)) {
    throw new AppError('INVALID_ARGUMENT', `invalid archive name '${name}'`);
  }
  if (/\.(didx|fidx|blob)$/.test(base)) return base;
  if (/\.(pxar|mpxar|ppxar|pcat1)$/.test(base)) return `${base}.didx`;
  if (base.endsWith('.img')) return `${base}.fidx`;
  return `${base}.blob`;
}

export type GroupOrSnapshot =
  | { readonly kind: 'group'; readonly group: BackupGroupRef }
  | { readonly kind: 'snapshot'; readonly snapshot: SnapshotRef };

function invalidPath(path: string): AppError {
  return new AppError(
    'INVALID_ARGUMENT',
    `unable to parse backup path '${path}' (expected type/id or type/id/time)`,
  );
}

/** `type/id` or `type/id/TIME` (TIME as the snapshot directory name, RFC 3339 UTC). */
export function parseGroupOrSnapshot(path: string): GroupOrSnapshot {
  const parts = path.split('/');
  if (parts.length !== 2 && parts.length !== 3) throw invalidPath(path);
  const [type, id, timeName] = parts as [string, string, string | undefined];
  const group = checkGroup({ type: type as BackupType, id });
  if (timeName === undefined) return { kind: 'group', group };
  const time = parseSnapshotDirName(timeName);
  if (time === undefined) throw invalidPath(path);
  return { kind: 'snapshot', snapshot: checkSnapshot({ ...group, time }) };
}

export function parseSnapshot(path: string): SnapshotRef {
  const parsed = parseGroupOrSnapshot(path);
  if (parsed.kind !== 'snapshot')
    throw new AppError('INVALID_ARGUMENT', `'${path}' is a group, not a snapshot`);
  return parsed.snapshot;
}

export function parseGroup(path: string): BackupGroupRef {
  const parsed = parseGroupOrSnapshot(path);
  if (parsed.kind !== 'group') throw new AppError('INVALID_ARGUMENT', `'${path}' is a snapshot, not a group`);
  return parsed.group;
}
