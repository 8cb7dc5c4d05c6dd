/**
 * Backup hierarchy grammars from pbs-api-types (pbs-formats §14–15): backup types, ids, snapshot
 * times, namespaces and the path forms built from them. Regex sources are exported so engines
 * compose them exactly as PBS does; the anchored regexes are what names from outside must match.
 */
import { SAFE_ID_RE } from './names.js';

export const BACKUP_TYPES = ['vm', 'ct', 'host'] as const;

export const BACKUP_ID_RE = '[A-Za-z0-9_][A-Za-z0-9._\\-]*';
export const BACKUP_TYPE_RE = '(?:host|vm|ct)';
export const BACKUP_TIME_RE = '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z';

export const BACKUP_ID_REGEX = new RegExp(`^${BACKUP_ID_RE}$`);
export const BACKUP_TYPE_REGEX = new RegExp(`^(${BACKUP_TYPE_RE})$`);
/** snapshot directory names: the backup time formatted as UTC RFC 3339 without fraction */
export const BACKUP_DATE_REGEX = new RegExp(`^${BACKUP_TIME_RE}$`);
/** archive files of a snapshot directory (`*.fidx`, `*.didx`, `*.blob`) */
export const BACKUP_FILE_REGEX = /^.*\.([fd]idx|blob)$/;

/** root = depth 0; a namespace has at most 7 components ("8 levels including root") */
export const MAX_NAMESPACE_DEPTH = 7;
/** the namespace as the API spells it ('a/b/c'), separators included */
export const MAX_BACKUP_NAMESPACE_LENGTH = 256;

/** API form: '' (root) or up to 7 SAFE_ID components joined by '/' */
export const BACKUP_NS_RE = `(?:(?:${SAFE_ID_RE}/){0,${MAX_NAMESPACE_DEPTH - 1}}${SAFE_ID_RE})?`;
export const BACKUP_NAMESPACE_REGEX = new RegExp(`^${BACKUP_NS_RE}$`);
/** on-disk form of a non-root namespace prefix: 'ns/a/ns/b/' */
export const BACKUP_NS_PATH_RE = `(?:ns/${SAFE_ID_RE}/){0,${MAX_NAMESPACE_DEPTH - 1}}ns/${SAFE_ID_RE}/`;

export const GROUP_PATH_REGEX = new RegExp(`^(${BACKUP_TYPE_RE})/(${BACKUP_ID_RE})$`);
export const SNAPSHOT_PATH_REGEX = new RegExp(`^(${BACKUP_TYPE_RE})/(${BACKUP_ID_RE})/(${BACKUP_TIME_RE})$`);
export const GROUP_OR_SNAPSHOT_PATH_REGEX = new RegExp(
  `^(${BACKUP_TYPE_RE})/(${BACKUP_ID_RE})(?:/(${BACKUP_TIME_RE}))?$`,
);

/** BACKUP_TIME_SCHEMA: an epoch (seconds) ≥ 1; the upper bound keeps the year at four digits */
export const MIN_BACKUP_TIME = 1;
export const MAX_BACKUP_TIME = 253_402_300_799;
