/**
 * @pbs/access: users, API tokens, tickets, CSRF tokens, ACLs and privilege evaluation, over
 * PBS's own files in the server's etc directory.
 *
 * Concept: AccessControl is the one entry point. user.cfg (section config) and acl.cfg (PBS's
 * `acl:` lines) are read and written byte-compatible with PBS; shadow.json and token.shadow hold
 * scrypt hashes (mode 0600); authkey.key/.pub (Ed25519) sign tickets, csrf.key keys the CSRF HMAC.
 *
 * Invariants:
 * - Secrets never reach a file in clear text; token secrets are shown once.
 * - Privileges follow PBS: entries on the path itself always apply, ancestors' only when they
 *   propagate; a deeper node replaces what was inherited; NoAccess clears; an inactive user,
 *   token or token owner has none; a token has at most its owner's privileges.
 * - Authentication failures read alike ('authentication failed'), so nothing tells which users exist.
 * - Multi-file changes write user.cfg as the commit point: secrets and ACL entries are written
 *   before a user or token appears, and removed after it is gone.
 *
 * Locking: each file has its PBS lock file (.user.lck, .acl.lck, shadow.json.lock,
 * token.shadow.lock); updates take the locks in that order only (user → acl → shadow →
 * token.shadow), never the other way round. Reads take no lock (files are replaced atomically)
 * and are cached until a file's inode, size or mtime changes, so per-request checks cost a stat.
 */
export { AccessControl, type AccessControlOptions, type RealmInfo } from './access-control.js';
export type { AuthenticatedUser, Session } from './auth-ops.js';
export type { AclItem, UpdateAclInput } from './acl-ops.js';
export type { TokenFields } from './token-ops.js';
export type {
  CreateUserInput,
  DeletableUserField,
  TokenInfo,
  UpdateUserPatch,
  UserInfo,
} from './user-ops.js';
export type { ThrottleOptions } from './login-throttle.js';
export { parseAclConfig, formatAclConfig } from './acl-format.js';
export { AclTree } from './acl-tree.js';
