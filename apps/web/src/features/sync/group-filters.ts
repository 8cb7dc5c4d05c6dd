/**
 * Group filters as the editor holds them (one row per filter) and the preview of which groups
 * a set of filters lets through, with PBS's rule: a group passes when there is no include
 * filter or one matches, and no exclude filter matches; `regex:` searches `<type>/<id>`.
 */
import { formatGroupFilter, parseGroupFilter, type GroupFilter } from '@pbs/api-types';

export type FilterRow = GroupFilter;

export function rowsFromStrings(filters: readonly string[] | undefined): FilterRow[] {
  const rows: FilterRow[] = [];
  for (const text of filters ?? []) {
    const parsed = parseGroupFilter(text);
    // a stored filter the grammar refuses is shown as a regex row, flagged, for the admin to fix
    rows.push(typeof parsed === 'string' ? { exclude: false, kind: 'regex', value: text } : parsed);
  }
  return rows;
}

export function rowsToStrings(rows: readonly FilterRow[]): string[] {
  return rows.map((row) => formatGroupFilter({ ...row, value: row.value.trim() }));
}

/** The row's error message, or null when it parses. */
export function rowError(row: FilterRow): string | null {
  if (row.value.trim() === '') return 'enter a value';
  const parsed = parseGroupFilter(formatGroupFilter({ ...row, value: row.value.trim() }));
  return typeof parsed === 'string' ? parsed : null;
}

function matches(row: FilterRow, group: string, type: string): boolean {
  const value = row.value.trim();
  switch (row.kind) {
    case 'type':
      return type === value;
    case 'group':
      return group === value;
    case 'regex':
      try {
        return new RegExp(value).test(group);
      } catch {
        return false;
      }
  }
}

/** Whether a group (`type/id`) passes the filters; rows with errors are ignored. */
export function passes(rows: readonly FilterRow[], group: { type: string; id: string }): boolean {
  const name = `${group.type}/${group.id}`;
  const valid = rows.filter((row) => rowError(row) === null);
  const includes = valid.filter((row) => !row.exclude);
  const included = includes.length === 0 || includes.some((row) => matches(row, name, group.type));
  return included && !valid.some((row) => row.exclude && matches(row, name, group.type));
}
