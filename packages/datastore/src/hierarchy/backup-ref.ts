import { AppError } from '@pbs/api-types/errors';
import {
  BACKUP_DATE_REGEX,
  BACKUP_ID_REGEX,
  BACKUP_TYPES,
  isBackupType,
  MAX_BACKUP_TIME,
  MIN_BACKUP_TIME,
  type BackupType,
} from '../names.js';
import { namespacePrefix } from './namespace.js';

/*
 * Groups and snapshots as the API names them ({type, id[, time]}) and as the datastore lays them
 * out: `<ns prefix><type>/<id>/<YYYY-MM-DDTHH:MM:SSZ>` (pbs-formats §1.2). Every reference from
 * outside goes through checkGroup / checkSnapshot before it becomes a path.
 */

export interface BackupGroupRef {
  type: BackupType;
  id: string;
}

export interface SnapshotRef extends BackupGroupRef {
  /** backup time, epoch seconds */
  time: number;
}

function invalid(message: string, details: Record<string, unknown>): AppError {
  return new AppError('INVALID_ARGUMENT', message, { details });
}

export function checkBackupType(type: unknown): BackupType {
  if (!isBackupType(type)) throw invalid(`invalid backup type ${JSON.stringify(type)}`, { type });
  return type;
}

export function checkBackupId(id: unknown): string {
  if (typeof id !== 'string' || !BACKUP_ID_REGEX.test(id)) {
    throw invalid(`invalid backup id ${JSON.stringify(id)}`, { id });
  }
  // the group directory is one path component: longer names cannot exist on disk
  if (Buffer.byteLength(id) > 255) throw invalid('backup id longer than 255 bytes', { id });
  return id;
}

export function checkBackupTime(time: unknown): number {
  if (
    typeof time !== 'number' ||
    !Number.isSafeInteger(time) ||
    time < MIN_BACKUP_TIME ||
    time > MAX_BACKUP_TIME
  ) {
    throw invalid(`invalid backup time ${JSON.stringify(time)}`, { time });
  }
  return time;
}

/** A validated copy of a group reference (INVALID_ARGUMENT otherwise). */
export function checkGroup(group: BackupGroupRef): BackupGroupRef {
  if (typeof group !== 'object' || group === null) throw invalid('missing backup group', {});
  return { type: checkBackupType(group.type), id: checkBackupId(group.id) };
}

export function checkSnapshot(snap: SnapshotRef): SnapshotRef {
  const group = checkGroup(snap);
  return { ...group, time: checkBackupTime(snap.time) };
}

/** The snapshot directory name: the backup time as UTC RFC 3339, e.g. '2025-07-14T14:20:02Z'. */
export function snapshotDirName(time: number): string {
  return `${new Date(checkBackupTime(time) * 1000).toISOString().slice(0, 19)}Z`;
}

/** The backup time of a snapshot directory name, or undefined if it is none (scanners skip it). */
export function parseSnapshotDirName(name: string): number | undefined {
  if (!BACKUP_DATE_REGEX.test(name)) return undefined;
  const ms = Date.parse(name);
  if (!Number.isFinite(ms) || ms % 1000 !== 0) return undefined;
  const time = ms / 1000;
  if (time < MIN_BACKUP_TIME || time > MAX_BACKUP_TIME) return undefined;
  // Date.parse rolls 2025-02-30 over to March: only names that format back identically count
  return snapshotDirName(time) === name ? time : undefined;
}

/** 'vm/100' */
export function formatGroup(group: BackupGroupRef): string {
  return `${group.type}/${group.id}`;
}

/** 'vm/100/2025-07-14T14:20:02Z' */
export function formatSnapshot(snap: SnapshotRef): string {
  return `${formatGroup(snap)}/${snapshotDirName(snap.time)}`;
}

/** the group directory relative to the datastore, e.g. 'ns/a/vm/100' */
export function groupDir(ns: readonly string[], group: BackupGroupRef): string {
  return `${namespacePrefix(ns)}${formatGroup(group)}`;
}

export function snapshotDir(ns: readonly string[], snap: SnapshotRef): string {
  return `${namespacePrefix(ns)}${formatSnapshot(snap)}`;
}

const TYPE_ORDER: Readonly<Record<BackupType, number>> = { ct: 0, host: 1, vm: 2 };
const NUMERIC_ID = /^[0-9]+$/;
const U64_MAX = 18_446_744_073_709_551_615n;

/** ids that Rust's `parse::<u64>()` accepts compare by value */
function numericId(id: string): bigint | undefined {
  if (!NUMERIC_ID.test(id)) return undefined;
  const value = BigInt(id);
  return value <= U64_MAX ? value : undefined;
}

/** PBS's BackupGroup ordering: ct < host < vm, then numeric ids by value before other ids. */
export function compareGroups(a: BackupGroupRef, b: BackupGroupRef): number {
  if (a.type !== b.type) return TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
  const an = numericId(a.id);
  const bn = numericId(b.id);
  if (an !== undefined && bn !== undefined) return an === bn ? 0 : an < bn ? -1 : 1;
  if (an !== undefined || bn !== undefined) return an !== undefined ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** the type directories in PBS's iteration order */
export const TYPE_DIRS: readonly BackupType[] = BACKUP_TYPES;
