/*
 * Backup name grammars from pbs-api-types (pbs-formats §15). The regexes live in
 * '@pbs/api-types/domain' (backup.ts) so the API validates with the same sources; the engine's
 * own types are here.
 */
import { BACKUP_TYPES } from '@pbs/api-types/domain';

export {
  BACKUP_ID_RE,
  BACKUP_TYPE_RE,
  BACKUP_TIME_RE,
  BACKUP_ID_REGEX,
  BACKUP_TYPE_REGEX,
  BACKUP_DATE_REGEX,
  BACKUP_FILE_REGEX,
  BACKUP_NS_RE,
  BACKUP_NAMESPACE_REGEX,
  BACKUP_NS_PATH_RE,
  GROUP_PATH_REGEX,
  SNAPSHOT_PATH_REGEX,
  MAX_NAMESPACE_DEPTH,
  MAX_BACKUP_NAMESPACE_LENGTH,
  MIN_BACKUP_TIME,
  MAX_BACKUP_TIME,
  BACKUP_TYPES,
} from '@pbs/api-types/domain';

export type BackupType = (typeof BACKUP_TYPES)[number];

export function isBackupType(value: unknown): value is BackupType {
  return typeof value === 'string' && (BACKUP_TYPES as readonly string[]).includes(value);
}

export const CRYPT_MODES = ['none', 'encrypt', 'sign-only'] as const;
export type CryptMode = (typeof CRYPT_MODES)[number];

export function isCryptMode(value: unknown): value is CryptMode {
  return typeof value === 'string' && (CRYPT_MODES as readonly string[]).includes(value);
}
