import { describe, it, expect } from 'vitest';
import { privilegeMask, roleMask, type Privilege } from '@pbs/api-types/domain';
import { parseAclConfig } from './acl-format.js';
import { lookupPrivileges } from './privilege-eval.js';
import { userConfigCodec } from './user-config.js';

const NOW = 1_800_000_000;

const USERS = userConfigCodec.parse(
  [
    'user: alice@pbs',
    '',
    'user: bob@pbs',
    '',
    'user: off@pbs',
    '\tenable false',
    '',
    'user: old@pbs',
    '\texpire 1700000000',
    '',
    'user: later@pbs',
    `\texpire ${NOW + 1}`,
    '',
    'token: alice@pbs!full',
    '',
    'token: alice@pbs!ro',
    '',
    'token: alice@pbs!off',
    '\tenable 0',
    '',
    'token: alice@pbs!old',
    '\texpire 1700000000',
    '',
    'token: off@pbs!tok',
    '',
  ].join('\n'),
  'user.cfg',
);

const ACL = parseAclConfig(
  [
    'acl:1:/:off@pbs,old@pbs,later@pbs:Admin',
    'acl:1:/:off@pbs!tok:Admin',
    'acl:0:/datastore:alice@pbs:DatastoreAudit',
    'acl:1:/datastore:bob@pbs:DatastoreAdmin',
    'acl:1:/datastore/s1:alice@pbs:DatastoreBackup',
    'acl:1:/datastore/s1/secret:bob@pbs:NoAccess',
    'acl:0:/datastore/s2:bob@pbs:DatastoreAudit',
    'acl:1:/datastore:alice@pbs!full,alice@pbs!off,alice@pbs!old:Admin',
    'acl:1:/datastore/s1:alice@pbs!ro:DatastoreReader',
    '',
  ].join('\n'),
  'acl.cfg',
);

function privs(authId: string, path: string): number {
  return lookupPrivileges(USERS, ACL, authId, path.split('/').filter(Boolean), NOW).privs;
}

const mask = (...names: Privilege[]) => privilegeMask(names);

describe('privilege evaluation', () => {
  it.each([
    ['alice@pbs', '/datastore', roleMask('DatastoreAudit'), 'non-propagating entry applies on its own path'],
    ['alice@pbs', '/datastore/s2', 0, 'non-propagating entry does not reach children'],
    ['alice@pbs', '/datastore/s1', roleMask('DatastoreBackup'), 'deeper entry replaces the inherited roles'],
    ['alice@pbs', '/datastore/s1/ns/deep', roleMask('DatastoreBackup'), 'propagates below existing nodes'],
    ['alice@pbs', '/', 0, 'nothing at the root'],
    ['bob@pbs', '/datastore/s1', roleMask('DatastoreAdmin'), 'propagated from the parent'],
    ['bob@pbs', '/datastore/s1/secret', 0, 'NoAccess clears what was inherited'],
    ['bob@pbs', '/datastore/s1/secret/below', 0, 'propagating NoAccess also clears below'],
    [
      'bob@pbs',
      '/datastore/s2',
      roleMask('DatastoreAudit'),
      'an entry on the node replaces, even a smaller one',
    ],
    ['off@pbs', '/', 0, 'disabled user has nothing'],
    ['old@pbs', '/', 0, 'expired user has nothing'],
    ['later@pbs', '/', roleMask('Admin'), 'expiry in the future is still active'],
    ['ghost@pbs', '/', 0, 'unknown user has nothing'],
    ['not an id', '/', 0, 'malformed auth id has nothing'],
  ])('%s on %s', (authId, path, expected) => {
    expect(privs(authId, path)).toBe(expected);
  });

  it.each([
    ['alice@pbs!full', '/datastore/s1', roleMask('DatastoreBackup'), 'Admin token capped by the owner'],
    ['alice@pbs!full', '/datastore', roleMask('DatastoreAudit'), 'owner has only Audit there'],
    ['alice@pbs!full', '/datastore/s2', 0, 'owner has nothing there'],
    ['alice@pbs!ro', '/datastore/s1', 0, 'token roles and owner roles do not overlap'],
    ['alice@pbs!off', '/datastore/s1', 0, 'disabled token'],
    ['alice@pbs!old', '/datastore/s1', 0, 'expired token'],
    ['alice@pbs!missing', '/datastore/s1', 0, 'token without a section'],
    ['off@pbs!tok', '/', 0, 'token of a disabled owner'],
  ])('token %s on %s', (authId, path, expected) => {
    expect(privs(authId, path)).toBe(expected);
  });

  it('intersects per privilege, not per role', () => {
    const acl = parseAclConfig(
      'acl:1:/datastore:alice@pbs!t:DatastoreReader\nacl:1:/datastore:alice@pbs:DatastoreAudit\n',
      'acl.cfg',
    );
    const users = userConfigCodec.parse('user: alice@pbs\n\ntoken: alice@pbs!t\n', 'user.cfg');
    expect(lookupPrivileges(users, acl, 'alice@pbs!t', ['datastore'], NOW).privs).toBe(
      mask('Datastore.Audit'),
    );
  });

  it('reports which privileges propagate', () => {
    const details = lookupPrivileges(USERS, ACL, 'bob@pbs', ['datastore', 's2'], NOW);
    expect(details).toEqual({ privs: roleMask('DatastoreAudit'), propagated: 0 });
    const parent = lookupPrivileges(USERS, ACL, 'bob@pbs', ['datastore'], NOW);
    expect(parent).toEqual({ privs: roleMask('DatastoreAdmin'), propagated: roleMask('DatastoreAdmin') });
  });
});
