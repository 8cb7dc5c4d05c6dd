/*
 * Backup name grammars from pbs-api-types (pbs-formats §15). They live here until they move to
 * '@pbs/api-types/domain', which does not have them yet.
 */

export const BACKUP_ID_RE = '[A-Za-z0-9_][A-Za-z0-9._\\-]*';
export const BACKUP_TYPE_RE = '(?:host|vm|ct)';
export const BACKUP_TIME_RE = '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z';

export const BACKUP_ID_REGEX = new RegExp(`^${BACKUP_ID_RE}$`);
export const BACKUP_TYPE_REGEX = new RegExp(`^(${BACKUP_TYPE_RE})$`);
export const BACKUP_DATE_REGEX = new RegExp(`^${BACKUP_TIME_RE}$`);
/** archive names in a snapshot directory (`*.fidx`, `*.didx`, `*.blob`) */
export const BACKUP_FILE_REGEX = /^.*\.([fd]idx|blob)$/;

export const BACKUP_TYPES = ['vm', 'ct', 'host'] as const;
export type BackupType = (typeof BACKUP_TYPES)[number];

export function isBackupType(value: unknown): value is BackupType {
  return typeof value === 'string' && (BACKUP_TYPES as readonly string[]).includes(value);
}

export const CRYPT_MODES = ['none', 'encrypt', 'sign-only'] as const;
export type CryptMode = (typeof CRYPT_MODES)[number];

export function isCryptMode(value: unknown): value is CryptMode {
  return typeof value === 'string' && (CRYPT_MODES as readonly string[]).includes(value);
}
