/**
 * Sync grammar shared by the sync engine and the API: remote names, sync direction and the
 * group-filter strings of sync.cfg (pbs-api-types jobs.rs GroupFilter / FilterType).
 *
 * A filter is `[include:|exclude:]<type:<vm|ct|host> | group:<type>/<id> | regex:<RE>>`.
 * Evaluation (PBS apply_filters): a group passes when there is no include filter or any include
 * filter matches, and no exclude filter matches. `regex:` is an unanchored search on
 * `"<type>/<id>"`.
 */
import { BACKUP_ID_RE, BACKUP_TYPES, BACKUP_TYPE_RE } from './backup.js';

export const SYNC_DIRECTIONS = ['pull', 'push'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

export type GroupFilterKind = 'type' | 'group' | 'regex';

export interface GroupFilter {
  exclude: boolean;
  kind: GroupFilterKind;
  /** the backup type, `type/id`, or the regex source */
  value: string;
}

const GROUP_PATH = new RegExp(`^${BACKUP_TYPE_RE}/${BACKUP_ID_RE}$`);

/** Parses one filter string; returns an error message instead of throwing. */
export function parseGroupFilter(text: string): GroupFilter | string {
  let rest = text;
  let exclude = false;
  if (rest.startsWith('exclude:')) {
    exclude = true;
    rest = rest.slice('exclude:'.length);
  } else if (rest.startsWith('include:')) {
    rest = rest.slice('include:'.length);
  }
  const colon = rest.indexOf(':');
  if (colon < 0) return `group filter '${text}' must start with type:, group: or regex:`;
  const kind = rest.slice(0, colon);
  const value = rest.slice(colon + 1);
  switch (kind) {
    case 'type':
      if (!(BACKUP_TYPES as readonly string[]).includes(value))
        return `group filter '${text}': type must be one of ${BACKUP_TYPES.join(', ')}`;
      return { exclude, kind, value };
    case 'group':
      if (!GROUP_PATH.test(value)) return `group filter '${text}': group must look like 'vm/100'`;
      return { exclude, kind, value };
    case 'regex':
      if (value === '') return `group filter '${text}': empty regex`;
      try {
        new RegExp(value);
      } catch (err) {
        return `group filter '${text}': ${(err as Error).message}`;
      }
      return { exclude, kind, value };
    default:
      return `group filter '${text}': unknown filter type '${kind}' (type, group or regex)`;
  }
}

/** Formats a filter back into its sync.cfg string (include is implicit). */
export function formatGroupFilter(filter: GroupFilter): string {
  return `${filter.exclude ? 'exclude:' : ''}${filter.kind}:${filter.value}`;
}
