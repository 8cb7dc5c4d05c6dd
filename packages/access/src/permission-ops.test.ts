import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { roleMask } from '@pbs/api-types/domain';
import { openAccess, rejection, type AccessFixture } from './testing/access-fixture.js';

let f: AccessFixture;

beforeEach(async () => {
  f = await openAccess();
  await f.access.bootstrapAdmin('admin-password');
  await f.access.createUser({ userid: 'bob@pbs', password: 'bob-password' });
  await f.access.updateAcl({ path: '/datastore/store1', role: 'DatastoreBackup', authId: 'bob@pbs' });
});

afterEach(() => f.cleanup());

describe('checkPrivileges', () => {
  it('passes with all required privileges, or any of them with { any }', async () => {
    await f.access.checkPrivileges('bob@pbs', '/datastore/store1', ['Datastore.Backup']);
    await f.access.checkPrivileges('bob@pbs', '/datastore/store1', ['Datastore.Audit', 'Datastore.Backup'], {
      any: true,
    });
  });

  it('fails with PERMISSION_DENIED naming path and privileges', async () => {
    const all = await rejection(
      f.access.checkPrivileges('bob@pbs', '/datastore/store1', ['Datastore.Audit', 'Datastore.Backup']),
      'PERMISSION_DENIED',
    );
    expect(all.message).toBe(
      "permission check failed: '/datastore/store1' needs Datastore.Audit&Datastore.Backup",
    );
    const any = await rejection(
      f.access.checkPrivileges('bob@pbs', '/datastore/store2', ['Datastore.Audit', 'Datastore.Backup'], {
        any: true,
      }),
      'PERMISSION_DENIED',
    );
    expect(any.message).toBe(
      "permission check failed: '/datastore/store2' needs Datastore.Audit|Datastore.Backup",
    );
  });
});

describe('privileges', () => {
  it('follow acl.cfg edits made behind the engine (cache keyed on the file)', async () => {
    expect(await f.access.privileges('bob@pbs', '/datastore/store1')).toBe(roleMask('DatastoreBackup'));
    fs.writeFileSync(
      path.join(f.etcDir, 'acl.cfg'),
      'acl:1:/:admin@pbs:Admin\nacl:1:/datastore:bob@pbs:DatastoreAudit\n',
    );
    expect(await f.access.privileges('bob@pbs', '/datastore/store1')).toBe(roleMask('DatastoreAudit'));
  });

  it('give a token the intersection with its owner', async () => {
    const { tokenid } = await f.access.createToken('bob@pbs', 'job');
    await f.access.updateAcl({ path: '/datastore', role: 'DatastoreAdmin', authId: tokenid });
    expect(await f.access.privileges(tokenid, '/datastore/store1')).toBe(roleMask('DatastoreBackup'));
    expect(await f.access.privileges(tokenid, '/datastore/store2')).toBe(0);
  });
});

describe('permissions', () => {
  it('lists the ACL paths and PBS default paths where the auth id has privileges', async () => {
    await f.access.updateAcl({ path: '/remote/r1', role: 'RemoteAudit', authId: 'admin@pbs' });
    expect(await f.access.permissions('bob@pbs')).toEqual({ '/datastore/store1': ['Datastore.Backup'] });
    expect(await f.access.permissions('bob@pbs', '/datastore/store1/ns1')).toEqual({
      '/datastore/store1': ['Datastore.Backup'],
      '/datastore/store1/ns1': ['Datastore.Backup'],
    });
    const admin = await f.access.permissions('admin@pbs');
    expect(Object.keys(admin)).toEqual([
      '/',
      '/access',
      '/datastore',
      '/datastore/store1',
      '/remote',
      '/remote/r1',
      '/system',
    ]);
    expect(admin['/remote/r1']).toEqual(['Remote.Audit']);
    expect(await f.access.permissions('nobody@pbs')).toEqual({});
  });
});

describe('anyPrivilegeBelow', () => {
  it('finds privileges on or below a path', async () => {
    await expect(f.access.anyPrivilegeBelow('bob@pbs', '/datastore', ['Datastore.Backup'])).resolves.toBe(
      true,
    );
    await expect(f.access.anyPrivilegeBelow('bob@pbs', '/datastore', ['Datastore.Audit'])).resolves.toBe(
      false,
    );
    await expect(f.access.anyPrivilegeBelow('bob@pbs', '/remote', ['Datastore.Backup'])).resolves.toBe(false);
    await expect(f.access.anyPrivilegeBelow('admin@pbs', '/remote', ['Remote.Audit'])).resolves.toBe(true);
  });
});
