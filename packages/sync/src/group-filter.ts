import { AppError } from '@pbs/api-types/errors';
import { parseGroupFilter, type GroupFilter } from '@pbs/api-types/domain';

/*
 * sync.cfg group filters (pbs §13.2, pbs-api-types GroupFilter): a group passes when no include
 * filter exists or one matches, and no exclude filter matches. `type:` compares the backup type,
 * `group:` the whole `type/id`, `regex:` searches (unanchored) in `type/id`.
 */

export interface GroupName {
  readonly type: string;
  readonly id: string;
}

export interface CompiledFilter extends GroupFilter {
  matches(group: GroupName): boolean;
}

export function compileGroupFilter(text: string): CompiledFilter {
  const parsed = parseGroupFilter(text);
  if (typeof parsed === 'string') throw new AppError('INVALID_ARGUMENT', parsed);
  const { kind, value } = parsed;
  let matches: (group: GroupName) => boolean;
  if (kind === 'type') matches = (g) => g.type === value;
  else if (kind === 'group') matches = (g) => `${g.type}/${g.id}` === value;
  else {
    const re = new RegExp(value);
    matches = (g) => re.test(`${g.type}/${g.id}`);
  }
  return { ...parsed, matches };
}

/** A predicate for a job's filter list (undefined or empty: every group). */
export function groupFilterPredicate(filters: readonly string[] | undefined): (group: GroupName) => boolean {
  const compiled = (filters ?? []).map(compileGroupFilter);
  const includes = compiled.filter((f) => !f.exclude);
  const excludes = compiled.filter((f) => f.exclude);
  return (group) =>
    (includes.length === 0 || includes.some((f) => f.matches(group))) &&
    !excludes.some((f) => f.matches(group));
}
