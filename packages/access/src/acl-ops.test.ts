import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { openAccess, rejection, type AccessFixture } from './testing/access-fixture.js';

let f: AccessFixture;

beforeEach(async () => {
  f = await openAccess();
  await f.access.bootstrapAdmin('admin-password');
  await f.access.createUser({ userid: 'bob@pbs', password: 'bob-password' });
});

afterEach(() => f.cleanup());

describe('ACL', () => {
  it('update writes acl.cfg in PBS syntax', async () => {
    await f.access.updateAcl({ path: '/datastore/store1', role: 'DatastoreBackup', authId: 'bob@pbs' });
    await f.access.updateAcl({
      path: '/datastore/store1',
      role: 'DatastoreReader',
      authId: 'bob@pbs',
      propagate: false,
    });
    await f.access.updateAcl({ path: '/datastore', role: 'DatastoreAudit', authId: 'admin@pbs' });
    expect(f.read('acl.cfg')).toBe(
      [
        'acl:1:/:admin@pbs:Admin',
        'acl:1:/datastore:admin@pbs:DatastoreAudit',
        'acl:0:/datastore/store1:bob@pbs:DatastoreReader',
        'acl:1:/datastore/store1:bob@pbs:DatastoreBackup',
        '',
      ].join('\n'),
    );
    expect(f.mode('acl.cfg')).toBe(0o640);
  });

  it('list returns entries below a path, or on it only with exact, plus the digest', async () => {
    await f.access.updateAcl({ path: '/datastore/store1', role: 'DatastoreBackup', authId: 'bob@pbs' });
    await f.access.updateAcl({
      path: '/datastore',
      role: 'DatastoreAudit',
      authId: 'bob@pbs',
      propagate: false,
    });
    const all = await f.access.listAcl();
    expect(all.items).toEqual([
      { path: '/', ugid: 'admin@pbs', ugid_type: 'user', propagate: true, roleid: 'Admin' },
      { path: '/datastore', ugid: 'bob@pbs', ugid_type: 'user', propagate: false, roleid: 'DatastoreAudit' },
      {
        path: '/datastore/store1',
        ugid: 'bob@pbs',
        ugid_type: 'user',
        propagate: true,
        roleid: 'DatastoreBackup',
      },
    ]);
    expect(all.digest).toMatch(/^[0-9a-f]{64}$/);
    expect((await f.access.listAcl({ path: '/datastore' })).items.map((i) => i.path)).toEqual([
      '/datastore',
      '/datastore/store1',
    ]);
    expect((await f.access.listAcl({ path: '/datastore', exact: true })).items.map((i) => i.path)).toEqual([
      '/datastore',
    ]);
    expect((await f.access.listAcl({ path: '/remote' })).items).toEqual([]);
  });

  it('delete removes one role; deleting for a vanished user is allowed', async () => {
    await f.access.updateAcl({ path: '/datastore', role: 'DatastoreAudit', authId: 'bob@pbs' });
    await f.access.updateAcl({ path: '/datastore', role: 'DatastoreAudit', authId: 'bob@pbs', delete: true });
    await f.access.updateAcl({
      path: '/datastore',
      role: 'DatastoreAudit',
      authId: 'gone@pbs',
      delete: true,
    });
    expect(f.read('acl.cfg')).toBe('acl:1:/:admin@pbs:Admin\n');
  });

  it('refuses unknown principals, bad paths and roles, and stale digests', async () => {
    const missing = await rejection(
      f.access.updateAcl({ path: '/datastore', role: 'DatastoreAudit', authId: 'gone@pbs' }),
      'NOT_FOUND',
    );
    expect(missing.message).toBe("user 'gone@pbs' does not exist");
    await rejection(
      f.access.updateAcl({ path: '/datastore', role: 'Audit', authId: 'bob@pbs!none' }),
      'NOT_FOUND',
    );
    await rejection(
      f.access.updateAcl({ path: 'datastore', role: 'Audit', authId: 'bob@pbs' }),
      'INVALID_ARGUMENT',
    );
    await rejection(
      f.access.updateAcl({ path: '/datastores', role: 'Audit', authId: 'bob@pbs' }),
      'INVALID_ARGUMENT',
    );
    await rejection(
      f.access.updateAcl({ path: '/', role: 'Root' as 'Admin', authId: 'bob@pbs' }),
      'INVALID_ARGUMENT',
    );
    const { digest } = await f.access.listAcl();
    await f.access.updateAcl({ path: '/system', role: 'Audit', authId: 'bob@pbs' }, digest);
    const before = f.read('acl.cfg');
    await rejection(
      f.access.updateAcl({ path: '/remote', role: 'Audit', authId: 'bob@pbs' }, digest),
      'STALE_REVISION',
    );
    expect(f.read('acl.cfg')).toBe(before);
  });
});
