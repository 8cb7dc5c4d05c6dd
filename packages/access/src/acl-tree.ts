import type { Role } from '@pbs/api-types/domain';

/*
 * The ACL tree of pbs-config acl.rs: one node per path component; each node maps a principal
 * (user or token id; groups are kept apart and never match, as in PBS) to its roles with a
 * propagate flag. NoAccess replaces every other role of that principal on that node, and any
 * other role replaces NoAccess.
 */

export type RoleMap = Map<Role, boolean>;

export class AclNode {
  readonly users = new Map<string, RoleMap>();
  readonly groups = new Map<string, RoleMap>();
  readonly children = new Map<string, AclNode>();

  /** Roles of `authId` that apply here: all on the target node itself, only propagating ones above it. */
  rolesFor(authId: string, leaf: boolean): RoleMap {
    const result: RoleMap = new Map();
    for (const [role, propagate] of this.users.get(authId) ?? []) {
      if (!propagate && !leaf) continue;
      if (role === 'NoAccess') return new Map([['NoAccess', false]]);
      result.set(role, propagate);
    }
    return result;
  }
}

function insertRole(map: Map<string, RoleMap>, principal: string, role: Role, propagate: boolean): void {
  let roles = map.get(principal);
  if (!roles) {
    roles = new Map();
    map.set(principal, roles);
  }
  if (role === 'NoAccess') roles.clear();
  else roles.delete('NoAccess');
  roles.set(role, propagate);
}

export class AclTree {
  readonly root = new AclNode();

  node(components: readonly string[]): AclNode | undefined {
    let node: AclNode | undefined = this.root;
    for (const comp of components) node = node?.children.get(comp);
    return node;
  }

  private nodeOrCreate(components: readonly string[]): AclNode {
    let node = this.root;
    for (const comp of components) {
      let child = node.children.get(comp);
      if (!child) {
        child = new AclNode();
        node.children.set(comp, child);
      }
      node = child;
    }
    return node;
  }

  insertUserRole(components: readonly string[], authId: string, role: Role, propagate: boolean): void {
    insertRole(this.nodeOrCreate(components).users, authId, role, propagate);
  }

  insertGroupRole(components: readonly string[], group: string, role: Role, propagate: boolean): void {
    insertRole(this.nodeOrCreate(components).groups, group, role, propagate);
  }

  deleteUserRole(components: readonly string[], authId: string, role: Role): void {
    const roles = this.node(components)?.users.get(authId);
    roles?.delete(role);
    if (roles?.size === 0) this.node(components)?.users.delete(authId);
  }

  /** Removes every entry of `authId` anywhere in the tree. */
  deleteAuthId(authId: string, node: AclNode = this.root): void {
    node.users.delete(authId);
    for (const child of node.children.values()) this.deleteAuthId(authId, child);
  }

  /**
   * The roles `authId` has on `components` (AclTree::roles): walk from the root; a node with
   * any applicable role for the principal replaces what was inherited; a missing node ends the walk.
   */
  roles(authId: string, components: readonly string[]): RoleMap {
    let node = this.root;
    let roles = node.rolesFor(authId, components.length === 0);
    for (let i = 0; i < components.length; i++) {
      const child = node.children.get(components[i] ?? '');
      if (!child) return roles;
      node = child;
      const here = node.rolesFor(authId, i === components.length - 1);
      if (here.size > 0) roles = here;
    }
    return roles;
  }

  /** Every node in depth-first order (children by name), with its path components. */
  *walk(node: AclNode = this.root, components: string[] = []): Generator<[string[], AclNode]> {
    yield [components, node];
    for (const name of [...node.children.keys()].sort(compareBytes)) {
      const child = node.children.get(name);
      if (child) yield* this.walk(child, [...components, name]);
    }
  }
}

/** Byte order of the UTF-8 encodings, the order of Rust's BTreeMap<String, _>. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
