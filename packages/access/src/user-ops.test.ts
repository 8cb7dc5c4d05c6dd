import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { openAccess, rejection, type AccessFixture } from './testing/access-fixture.js';

let f: AccessFixture;

beforeEach(async () => {
  f = await openAccess();
  await f.access.bootstrapAdmin('admin-password');
});

afterEach(() => f.cleanup());

describe('users', () => {
  it('create writes user.cfg in PBS syntax and the password only as a hash', async () => {
    await f.access.createUser({
      userid: 'bob@pbs',
      password: 'bob-password',
      comment: 'Backup operator',
      email: 'bob@example.com',
      firstname: 'Bob',
    });
    expect(f.read('user.cfg')).toBe(
      [
        'user: admin@pbs',
        '\tcomment Administrator',
        '\tenable true',
        '\texpire 0',
        '',
        'user: bob@pbs',
        '\tcomment Backup operator',
        '\temail bob@example.com',
        '\tenable true',
        '\texpire 0',
        '\tfirstname Bob',
        '',
      ].join('\n'),
    );
    expect(f.read('shadow.json')).not.toContain('bob-password');
    await expect(f.access.verifyPassword('bob@pbs', 'bob-password')).resolves.toBe(true);
    await expect(f.access.verifyPassword('bob@pbs', 'admin-password')).resolves.toBe(false);
  });

  it('lists users with defaults, their tokens and the digest of user.cfg', async () => {
    await f.access.createUser({ userid: 'bob@pbs', password: 'bob-password', enable: false, expire: 42 });
    await f.access.createToken('bob@pbs', 'job', { comment: 'nightly' });
    const list = await f.access.listUsers();
    expect(list.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(list.items.map((u) => u.userid)).toEqual(['admin@pbs', 'bob@pbs']);
    expect(await f.access.getUser('bob@pbs')).toEqual({
      userid: 'bob@pbs',
      enable: false,
      expire: 42,
      tokens: [{ tokenid: 'bob@pbs!job', comment: 'nightly', enable: true, expire: 0 }],
    });
    await rejection(f.access.getUser('nobody@pbs'), 'NOT_FOUND');
  });

  it('refuses duplicates, other realms, weak passwords and multi-line text', async () => {
    await f.access.createUser({ userid: 'bob@pbs', password: 'bob-password' });
    const dup = await rejection(
      f.access.createUser({ userid: 'bob@pbs', password: 'bob-password' }),
      'ALREADY_EXISTS',
    );
    expect(dup.message).toBe("user 'bob@pbs' already exists");
    await rejection(f.access.createUser({ userid: 'bob@pam', password: 'bob-password' }), 'INVALID_ARGUMENT');
    await rejection(f.access.createUser({ userid: 'carl@pbs', password: 'short' }), 'INVALID_ARGUMENT');
    await rejection(
      f.access.createUser({ userid: 'carl@pbs', password: 'long-enough', comment: 'a\nb' }),
      'INVALID_ARGUMENT',
    );
    await rejection(
      f.access.createUser({ userid: 'bad id@pbs', password: 'long-enough' }),
      'INVALID_ARGUMENT',
    );
    expect((await f.access.listUsers()).items).toHaveLength(2);
  });

  it('update sets and deletes fields, and ignores fields it does not know', async () => {
    await f.access.createUser({ userid: 'bob@pbs', password: 'bob-password', comment: 'c', email: 'b@x' });
    const patch = {
      enable: false,
      lastname: 'Builder',
      delete: ['comment' as const],
      digest: 'x',
      userid: 'evil@pbs',
    };
    await f.access.updateUser('bob@pbs', patch);
    expect(await f.access.getUser('bob@pbs')).toEqual({
      userid: 'bob@pbs',
      email: 'b@x',
      enable: false,
      expire: 0,
      lastname: 'Builder',
      tokens: [],
    });
    expect(f.read('user.cfg')).not.toContain('evil');
    await rejection(f.access.updateUser('nobody@pbs', { comment: 'x' }), 'NOT_FOUND');
  });

  it('refuses a stale digest and leaves user.cfg as it was', async () => {
    const { digest } = await f.access.listUsers();
    await f.access.createUser({ userid: 'bob@pbs', password: 'bob-password' }, digest);
    const before = f.read('user.cfg');
    await rejection(f.access.updateUser('bob@pbs', { comment: 'late' }, digest), 'STALE_REVISION');
    await rejection(
      f.access.createUser({ userid: 'carl@pbs', password: 'carl-password' }, digest),
      'STALE_REVISION',
    );
    await rejection(f.access.removeUser('bob@pbs', digest), 'STALE_REVISION');
    expect(f.read('user.cfg')).toBe(before);
    const fresh = await f.access.listUsers();
    await f.access.updateUser('bob@pbs', { comment: 'now' }, fresh.digest);
    expect((await f.access.getUser('bob@pbs')).comment).toBe('now');
  });

  it('setPassword replaces the password; only for existing pbs users', async () => {
    await f.access.createUser({ userid: 'bob@pbs', password: 'bob-password' });
    await f.access.setPassword('bob@pbs', 'new-password');
    await expect(f.access.verifyPassword('bob@pbs', 'bob-password')).resolves.toBe(false);
    await expect(f.access.verifyPassword('bob@pbs', 'new-password')).resolves.toBe(true);
    await rejection(f.access.setPassword('nobody@pbs', 'new-password'), 'NOT_FOUND');
    await rejection(f.access.setPassword('bob@pam', 'new-password'), 'INVALID_ARGUMENT');
    await expect(f.access.verifyPassword('nobody@pbs', 'new-password')).resolves.toBe(false);
  });
});

describe('removeUser', () => {
  it('removes the user, its tokens, secrets, password and every ACL entry of both', async () => {
    await f.access.createUser({ userid: 'bob@pbs', password: 'bob-password' });
    const { tokenid } = await f.access.createToken('bob@pbs', 'job');
    await f.access.createToken('admin@pbs', 'keep');
    await f.access.updateAcl({ path: '/datastore', role: 'DatastoreAdmin', authId: 'bob@pbs' });
    await f.access.updateAcl({ path: '/datastore/s1', role: 'DatastoreBackup', authId: tokenid });
    await f.access.removeUser('bob@pbs');
    expect(f.read('user.cfg')).not.toContain('bob@pbs');
    expect(f.read('acl.cfg')).toBe('acl:1:/:admin@pbs:Admin\n');
    expect(Object.keys(JSON.parse(f.read('shadow.json')) as object)).toEqual(['admin']);
    expect(Object.keys(JSON.parse(f.read('token.shadow')) as object)).toEqual(['admin@pbs!keep']);
    await rejection(f.access.removeUser('bob@pbs'), 'NOT_FOUND');
  });

  it('refuses to remove the last active administrator', async () => {
    const err = await rejection(f.access.removeUser('admin@pbs'), 'INVALID_ARGUMENT');
    expect(err.message).toContain("user 'admin@pbs' is the last administrator");
    await f.access.createUser({ userid: 'bob@pbs', password: 'bob-password', enable: false });
    await f.access.updateAcl({ path: '/', role: 'Admin', authId: 'bob@pbs' });
    await rejection(f.access.removeUser('admin@pbs'), 'INVALID_ARGUMENT');
    await f.access.updateUser('bob@pbs', { enable: true });
    await f.access.removeUser('admin@pbs');
    expect(fs.readFileSync(path.join(f.etcDir, 'acl.cfg'), 'utf8')).toBe('acl:1:/:bob@pbs:Admin\n');
  });
});
