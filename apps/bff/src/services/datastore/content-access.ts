/**
 * PBS's content access rules (check_priv_or_backup_owner): a privilege on the namespace's ACL
 * path grants access to every group; without it, a lesser privilege plus ownership of the group
 * does (Backup to read and write one's own groups, Prune to prune them).
 */
import { AppError, privilegeBit, splitAuthId, type Privilege } from '@pbs/api-types';
import type { Caller } from '../../trpc/auth-state.js';
import type { Services } from '../services.js';
import type { DatastorePort } from './datastore-port.js';

export function datastoreAclPath(store: string, ns = ''): string {
  return ns === '' ? `/datastore/${store}` : `/datastore/${store}/${ns}`;
}

/** A group belongs to the caller when it owns it, or when the owner is one of the caller's tokens. */
export function ownsGroup(caller: Caller, owner: string | null): boolean {
  if (owner === null) return false;
  if (owner === caller.authId) return true;
  return (
    caller.via === 'ticket' &&
    splitAuthId(owner).token !== undefined &&
    splitAuthId(owner).user === caller.userid
  );
}

export class StoreAccess {
  constructor(
    readonly caller: Caller,
    readonly path: string,
    private readonly mask: number,
  ) {}

  static async of(services: Services, caller: Caller, store: string, ns = ''): Promise<StoreAccess> {
    const path = datastoreAclPath(store, ns);
    return new StoreAccess(caller, path, await services.access.privileges(caller.authId, path));
  }

  has(priv: Privilege): boolean {
    return (this.mask & privilegeBit(priv)) !== 0;
  }

  /** Full access through `full`, or through `owned` plus ownership of the group. */
  allows(full: Privilege[], owned: Privilege[], owner: string | null): boolean {
    if (full.some((p) => this.has(p))) return true;
    return owned.some((p) => this.has(p)) && ownsGroup(this.caller, owner);
  }

  require(full: Privilege[], owned: Privilege[], owner: string | null, what: string): void {
    if (this.allows(full, owned, owner)) return;
    const need =
      owned.length > 0 ? `${full.join(' or ')}, or ${owned.join(' or ')} as owner` : full.join(' or ');
    throw new AppError('PERMISSION_DENIED', `${what}: '${this.path}' needs ${need}`);
  }

  /** Whether anything at all may be seen here (listing namespaces, counts). */
  canLook(): boolean {
    return (
      this.has('Datastore.Audit') ||
      this.has('Datastore.Backup') ||
      this.has('Datastore.Modify') ||
      this.has('Datastore.Read')
    );
  }
}

/** Any of these on a namespace lets a caller see it at all (PBS NS_PRIVS_OK). */
const NAMESPACE_PRIVS: Privilege[] = [
  'Datastore.Audit',
  'Datastore.Backup',
  'Datastore.Modify',
  'Datastore.Read',
];

/**
 * PBS's ListAccessibleBackupGroups as a predicate over (namespace, owner): a namespace without
 * any datastore privilege shows nothing; `override` there shows every group; otherwise the
 * caller needs all of `ownerAnd` and sees only the groups it owns.
 */
export class AccessibleGroups {
  private readonly byNs = new Map<string, Promise<StoreAccess>>();

  constructor(
    private readonly services: Services,
    private readonly caller: Caller,
    private readonly store: string,
    private readonly override: Privilege[],
    private readonly ownerAnd: Privilege[] = [],
  ) {}

  private access(ns: string): Promise<StoreAccess> {
    let access = this.byNs.get(ns);
    if (access === undefined) {
      access = StoreAccess.of(this.services, this.caller, this.store, ns);
      this.byNs.set(ns, access);
    }
    return access;
  }

  async allows(ns: string, owner: string | null): Promise<boolean> {
    const access = await this.access(ns);
    if (!NAMESPACE_PRIVS.some((p) => access.has(p))) return false;
    if (this.override.some((p) => access.has(p))) return true;
    return this.ownerAnd.every((p) => access.has(p)) && ownsGroup(this.caller, owner);
  }
}

/** Whether the caller may change a group's owner from `owner` to `newOwner` with Backup alone. */
export function mayHandOver(caller: Caller, owner: string, newOwner: string): boolean {
  if (caller.via !== 'ticket') return false;
  const from = splitAuthId(owner);
  const to = splitAuthId(newOwner);
  const mine = (id: ReturnType<typeof splitAuthId>) => id.user === caller.userid;
  // PBS set_backup_owner: between the caller and its own tokens, or between two of its tokens.
  if (from.token !== undefined) return mine(from) && mine(to);
  return owner === caller.authId && to.token !== undefined && mine(to);
}

/** Snapshot counts per type over the groups the caller may see (PBS get_snapshots_count). */
export async function accessibleCounts(
  port: DatastorePort,
  groups: AccessibleGroups,
): Promise<Awaited<ReturnType<DatastorePort['counts']>>> {
  const counts = {
    ct: { groups: 0, snapshots: 0 },
    host: { groups: 0, snapshots: 0 },
    vm: { groups: 0, snapshots: 0 },
  };
  for (const { ns } of await port.listNamespaces('')) {
    for (const group of await port.listGroups(ns)) {
      if (group.backupCount === 0 || !(await groups.allows(ns, group.owner))) continue;
      counts[group.type].groups++;
      counts[group.type].snapshots += group.backupCount;
    }
  }
  return counts;
}
