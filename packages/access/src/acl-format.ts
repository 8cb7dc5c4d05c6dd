import { ACL_PATH_REGEX, AUTH_ID_REGEX, ROLE_PRIVILEGES, type Role } from '@pbs/api-types/domain';
import { AppError } from '@pbs/api-types/errors';
import type { ConfigCodec } from '@pbs/config';
import { joinAclPath, splitAclPath } from './acl-path.js';
import { AclTree, compareBytes, type AclNode, type RoleMap } from './acl-tree.js';

/*
 * acl.cfg lines as pbs-config acl.rs reads and writes them:
 *   acl:<propagate 0|1>:<path>:<ugid,ugid,…>:<role,role,…>
 * Groups are written as '@name'. Per node: non-propagating lines first, then propagating ones;
 * principals sharing the same role set are merged into one line; lists are sorted; nodes
 * follow depth-first in name order.
 */

function isRole(name: string): name is Role {
  return Object.hasOwn(ROLE_PRIVILEGES, name);
}

function parseLine(tree: AclTree, line: string): string | undefined {
  const items = line.split(':');
  if (items.length !== 5) return 'wrong number of items';
  const [tag, flag, path, ugids, roles] = items as [string, string, string, string, string];
  if (tag !== 'acl') return "line does not start with 'acl'";
  if (flag !== '0' && flag !== '1') return "expected '0' or '1' for propagate flag";
  if (!ACL_PATH_REGEX.test(path)) return `invalid path '${path}'`;
  const components = splitAclPath(path);
  const roleList = roles.split(',').map((r) => r.trim());
  const unknown = roleList.find((r) => !isRole(r));
  if (unknown !== undefined) return `unknown role '${unknown}'`;
  for (const ugid of ugids.split(',').map((u) => u.trim())) {
    if (!ugid.startsWith('@') && !AUTH_ID_REGEX.test(ugid)) return `invalid user or token id '${ugid}'`;
    for (const role of roleList as Role[]) {
      if (ugid.startsWith('@')) tree.insertGroupRole(components, ugid.slice(1), role, flag === '1');
      else tree.insertUserRole(components, ugid, role, flag === '1');
    }
  }
  return undefined;
}

export function parseAclConfig(text: string, fileName: string): AclTree {
  const tree = new AclTree();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const why = parseLine(tree, line);
    if (why !== undefined) {
      const lineNo = index + 1;
      throw new AppError('CORRUPT_DATA', `config file '${fileName}' line ${lineNo}: ${why}`, {
        details: { file: fileName, line: lineNo },
      });
    }
  });
  return tree;
}

/** role → principals holding it with this propagate flag */
function principalsByRole(node: AclNode, propagate: boolean): Map<Role, string[]> {
  const byRole = new Map<Role, string[]>();
  const add = (principal: string, roles: RoleMap) => {
    for (const [role, flag] of roles) {
      if (flag !== propagate) continue;
      byRole.set(role, [...(byRole.get(role) ?? []), principal]);
    }
  };
  for (const [authId, roles] of node.users) add(authId, roles);
  for (const [group, roles] of node.groups) add(`@${group}`, roles);
  return byRole;
}

function nodeLines(node: AclNode, path: string, propagate: boolean): string[] {
  const rolesByList = new Map<string, Role[]>();
  for (const [role, principals] of principalsByRole(node, propagate)) {
    const list = [...principals].sort(compareBytes).join(',');
    rolesByList.set(list, [...(rolesByList.get(list) ?? []), role]);
  }
  return [...rolesByList.keys()].sort(compareBytes).map((list) => {
    const roles = (rolesByList.get(list) ?? []).sort(compareBytes);
    const roleText = roles.includes('NoAccess') ? 'NoAccess' : roles.join(',');
    return `acl:${propagate ? 1 : 0}:${path}:${list}:${roleText}\n`;
  });
}

export function formatAclConfig(tree: AclTree): string {
  let out = '';
  for (const [components, node] of tree.walk()) {
    const path = joinAclPath(components);
    out += nodeLines(node, path, false).join('') + nodeLines(node, path, true).join('');
  }
  return out;
}

export const aclConfigCodec: ConfigCodec<AclTree> = { parse: parseAclConfig, format: formatAclConfig };
