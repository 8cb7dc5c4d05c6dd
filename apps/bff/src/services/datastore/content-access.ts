/**
 * PBS's content access rules (check_priv_or_backup_owner): a privilege on the namespace's ACL
 * path grants access to every group; without it, a lesser privilege plus ownership of the group
 * does (Backup to read and write one's own groups, Prune to prune them).
 */
import { AppError, privilegeBit, splitAuthId, type Privilege } from '@pbs/api-types';
import type { Caller } from '../../trpc/auth-state.js';
import type { Services } from '../services.js';

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
