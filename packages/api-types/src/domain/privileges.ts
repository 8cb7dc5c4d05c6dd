/**
 * PBS's privileges and built-in roles (pbs-api-types acl.rs). The order of PRIVILEGES fixes the
 * bit of each privilege; roles are unions of bits. Custom roles do not exist, as in PBS.
 */
import { z } from 'zod';

export const PRIVILEGES = [
  'Sys.Audit',
  'Sys.Modify',
  'Sys.PowerManagement',
  'Datastore.Audit',
  'Datastore.Allocate',
  'Datastore.Modify',
  'Datastore.Read',
  'Datastore.Verify',
  'Datastore.Backup',
  'Datastore.Prune',
  'Permissions.Modify',
  'Remote.Audit',
  'Remote.Modify',
  'Remote.Read',
  'Remote.DatastoreBackup',
  'Remote.DatastoreModify',
  'Remote.DatastorePrune',
  'Sys.Console',
  'Tape.Audit',
  'Tape.Modify',
  'Tape.Write',
  'Tape.Read',
  'Realm.Allocate',
] as const;

export type Privilege = (typeof PRIVILEGES)[number];
export const PrivilegeSchema = z.enum(PRIVILEGES);

export function privilegeBit(name: Privilege): number {
  return 1 << PRIVILEGES.indexOf(name);
}

export function privilegeMask(names: readonly Privilege[]): number {
  return names.reduce((mask, name) => mask | privilegeBit(name), 0);
}

export function privilegeNames(mask: number): Privilege[] {
  return PRIVILEGES.filter((name) => (mask & privilegeBit(name)) !== 0);
}

export const ALL_PRIVILEGES_MASK = privilegeMask(PRIVILEGES);

export const ROLE_PRIVILEGES = {
  Admin: PRIVILEGES,
  Audit: ['Sys.Audit', 'Datastore.Audit'],
  NoAccess: [],
  DatastoreAdmin: [
    'Datastore.Audit',
    'Datastore.Modify',
    'Datastore.Read',
    'Datastore.Verify',
    'Datastore.Backup',
    'Datastore.Prune',
  ],
  DatastoreReader: ['Datastore.Audit', 'Datastore.Verify', 'Datastore.Read'],
  DatastoreBackup: ['Datastore.Backup'],
  DatastorePowerUser: ['Datastore.Prune', 'Datastore.Backup'],
  DatastoreAudit: ['Datastore.Audit'],
  RemoteAudit: ['Remote.Audit'],
  RemoteAdmin: ['Remote.Audit', 'Remote.Modify', 'Remote.Read'],
  RemoteSyncOperator: ['Remote.Audit', 'Remote.Read'],
  RemoteSyncPushOperator: ['Remote.Audit', 'Remote.DatastoreBackup'],
  RemoteDatastorePowerUser: ['Remote.Audit', 'Remote.DatastoreBackup', 'Remote.DatastorePrune'],
  RemoteDatastoreAdmin: [
    'Remote.Audit',
    'Remote.DatastoreBackup',
    'Remote.DatastoreModify',
    'Remote.DatastorePrune',
  ],
  TapeAudit: ['Tape.Audit'],
  TapeAdmin: ['Tape.Audit', 'Tape.Modify', 'Tape.Read', 'Tape.Write'],
  TapeOperator: ['Tape.Audit', 'Tape.Read', 'Tape.Write'],
  TapeReader: ['Tape.Audit', 'Tape.Read'],
} as const satisfies Record<string, readonly Privilege[]>;

export type Role = keyof typeof ROLE_PRIVILEGES;
export const ROLES = Object.keys(ROLE_PRIVILEGES) as Role[];
export const RoleSchema = z.enum(ROLES as [Role, ...Role[]]);

export function roleMask(role: Role): number {
  return privilegeMask(ROLE_PRIVILEGES[role]);
}

/**
 * ACL paths: '/' or '/'-separated SAFE_ID components, at most 128 characters
 * (pbs-api-types ACL_PATH_REGEX).
 */
export const ACL_PATH_REGEX = /^(?:\/|(?:\/(?:[A-Za-z0-9_][A-Za-z0-9._-]*))+)$/;

export const AclPathSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(ACL_PATH_REGEX, "acl path must be '/' or '/'-separated names, e.g. '/datastore/store1'");
