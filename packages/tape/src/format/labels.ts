/*
 * Media label (tape file 0) and media-set label (file 1), pbs-formats §12.2: snake_case JSON in
 * the content header data, UUIDs as 36-character strings. A media-set label with the all-zero
 * UUID reserves an empty medium for its pool.
 */
import { AppError } from '@pbs/api-types/errors';
import { UNASSIGNED_MEDIA_SET_UUID, UUID_REGEX } from '@pbs/api-types/domain';

export interface MediaLabel {
  uuid: string;
  label_text: string;
  ctime: number;
  pool?: string;
}

export interface MediaSetLabel {
  pool: string;
  uuid: string;
  seq_nr: number;
  ctime: number;
  encryption_key_fingerprint?: string;
}

/** label plus (optional) media-set label: what identifies a medium (PBS MediaId) */
export interface MediaId {
  label: MediaLabel;
  media_set_label?: MediaSetLabel;
}

export function isUnassignedSet(set: MediaSetLabel): boolean {
  return set.uuid === UNASSIGNED_MEDIA_SET_UUID;
}

function fail(what: string, msg: string): never {
  throw new AppError('CORRUPT_DATA', `${what}: ${msg}`);
}

function obj(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(what, 'not a JSON object');
  return value as Record<string, unknown>;
}

function str(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(what, `'${key}' missing or not a string`);
  return v;
}

function int(o: Record<string, unknown>, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(what, `'${key}' missing or not an integer`);
  return v;
}

function uuid(o: Record<string, unknown>, key: string, what: string): string {
  const v = str(o, key, what);
  if (!UUID_REGEX.test(v)) fail(what, `'${key}' is not a UUID`);
  return v;
}

export function parseMediaLabel(value: unknown): MediaLabel {
  const what = 'media label';
  const o = obj(value, what);
  const label: MediaLabel = {
    uuid: uuid(o, 'uuid', what),
    label_text: str(o, 'label_text', what),
    ctime: int(o, 'ctime', what),
  };
  if (o.pool !== undefined && o.pool !== null) label.pool = str(o, 'pool', what);
  return label;
}

export function parseMediaSetLabel(value: unknown): MediaSetLabel {
  const what = 'media set label';
  const o = obj(value, what);
  const set: MediaSetLabel = {
    pool: str(o, 'pool', what),
    uuid: uuid(o, 'uuid', what),
    seq_nr: int(o, 'seq_nr', what),
    ctime: int(o, 'ctime', what),
  };
  if (o.encryption_key_fingerprint !== undefined && o.encryption_key_fingerprint !== null) {
    set.encryption_key_fingerprint = str(o, 'encryption_key_fingerprint', what);
  }
  return set;
}

/** JSON as PBS serializes it: optional fields left out when unset */
export function mediaLabelJson(label: MediaLabel): Record<string, unknown> {
  return {
    uuid: label.uuid,
    label_text: label.label_text,
    ctime: label.ctime,
    ...(label.pool !== undefined ? { pool: label.pool } : {}),
  };
}

export function mediaSetLabelJson(set: MediaSetLabel): Record<string, unknown> {
  return {
    pool: set.pool,
    uuid: set.uuid,
    seq_nr: set.seq_nr,
    ctime: set.ctime,
    ...(set.encryption_key_fingerprint !== undefined
      ? { encryption_key_fingerprint: set.encryption_key_fingerprint }
      : {}),
  };
}
