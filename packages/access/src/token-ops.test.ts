import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { openAccess, rejection, type AccessFixture } from './testing/access-fixture.js';

let f: AccessFixture;

beforeEach(async () => {
  f = await openAccess();
  await f.access.bootstrapAdmin('admin-password');
  await f.access.createUser({ userid: 'bob@pbs', password: 'bob-password' });
});

afterEach(() => f.cleanup());

describe('API tokens', () => {
  it('create returns a UUID secret once, stored only hashed in a 0600 token.shadow', async () => {
    const { tokenid, value } = await f.access.createToken('bob@pbs', 'job', {
      comment: 'nightly',
      expire: 0,
    });
    expect(tokenid).toBe('bob@pbs!job');
    expect(value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(f.read('token.shadow')).not.toContain(value);
    expect(Object.keys(JSON.parse(f.read('token.shadow')) as object)).toEqual(['bob@pbs!job']);
    expect(f.mode('token.shadow')).toBe(0o600);
    expect(f.read('user.cfg')).toContain(
      'token: bob@pbs!job\n\tcomment nightly\n\tenable true\n\texpire 0\n',
    );
    await expect(f.access.verifyApiToken(tokenid, value)).resolves.toEqual({ authId: 'bob@pbs!job' });
    await expect(f.access.verifyApiToken(tokenid, value)).resolves.toEqual({ authId: 'bob@pbs!job' });
  });

  it('refuse a wrong secret, an unknown token and a user id, alike', async () => {
    const { tokenid, value } = await f.access.createToken('bob@pbs', 'job');
    await f.access.verifyApiToken(tokenid, value);
    for (const [id, secret] of [
      [tokenid, 'not-the-secret'],
      ['bob@pbs!other', value],
      ['bob@pbs', value],
    ] as const) {
      expect((await rejection(f.access.verifyApiToken(id, secret), 'UNAUTHENTICATED')).message).toBe(
        'authentication failed',
      );
    }
  });

  it('stop working when disabled, expired, or the owner is disabled', async () => {
    const { tokenid, value } = await f.access.createToken('bob@pbs', 'job');
    await f.access.updateToken(tokenid, { enable: false });
    await rejection(f.access.verifyApiToken(tokenid, value), 'UNAUTHENTICATED');
    await f.access.updateToken(tokenid, { enable: true, expire: f.clock.sec() + 10 });
    await f.access.verifyApiToken(tokenid, value);
    f.clock.advanceSec(10);
    await rejection(f.access.verifyApiToken(tokenid, value), 'UNAUTHENTICATED');
    await f.access.updateToken(tokenid, { expire: 0 });
    await f.access.updateUser('bob@pbs', { enable: false });
    await rejection(f.access.verifyApiToken(tokenid, value), 'UNAUTHENTICATED');
  });

  it('regenerate invalidates the old secret and keeps the ACL entries', async () => {
    const { tokenid, value } = await f.access.createToken('bob@pbs', 'job');
    await f.access.verifyApiToken(tokenid, value);
    await f.access.updateAcl({ path: '/datastore', role: 'DatastoreAudit', authId: tokenid });
    const fresh = await f.access.regenerateToken(tokenid);
    expect(fresh.tokenid).toBe(tokenid);
    expect(fresh.value).not.toBe(value);
    await rejection(f.access.verifyApiToken(tokenid, value), 'UNAUTHENTICATED');
    await expect(f.access.verifyApiToken(tokenid, fresh.value)).resolves.toEqual({ authId: tokenid });
    expect((await f.access.listAcl({ path: '/datastore', exact: true })).items.map((i) => i.ugid)).toEqual([
      tokenid,
    ]);
    await rejection(f.access.regenerateToken('bob@pbs!nope'), 'NOT_FOUND');
  });

  it('notice a token.shadow changed behind their back', async () => {
    const { tokenid, value } = await f.access.createToken('bob@pbs', 'job');
    await f.access.verifyApiToken(tokenid, value);
    fs.writeFileSync(path.join(f.etcDir, 'token.shadow'), '{}');
    await rejection(f.access.verifyApiToken(tokenid, value), 'UNAUTHENTICATED');
  });

  it('remove deletes section, secret and ACL entries', async () => {
    const { tokenid, value } = await f.access.createToken('bob@pbs', 'job');
    await f.access.updateAcl({ path: '/datastore', role: 'DatastoreAudit', authId: tokenid });
    await f.access.removeToken(tokenid);
    expect(f.read('user.cfg')).not.toContain('bob@pbs!job');
    expect(f.read('token.shadow')).toBe('{}');
    expect(f.read('acl.cfg')).toBe('acl:1:/:admin@pbs:Admin\n');
    await rejection(f.access.verifyApiToken(tokenid, value), 'UNAUTHENTICATED');
    await rejection(f.access.removeToken(tokenid), 'NOT_FOUND');
  });

  it('refuse duplicates, unknown owners, bad names and stale digests', async () => {
    const { digest } = await f.access.listUsers();
    await f.access.createToken('bob@pbs', 'job', {}, digest);
    const dup = await rejection(f.access.createToken('bob@pbs', 'job'), 'ALREADY_EXISTS');
    expect(dup.message).toBe("API token 'bob@pbs!job' already exists");
    await rejection(f.access.createToken('nobody@pbs', 'job'), 'NOT_FOUND');
    await rejection(f.access.createToken('bob@pbs', 'bad name'), 'INVALID_ARGUMENT');
    await rejection(f.access.createToken('bob@pbs', 'other', {}, digest), 'STALE_REVISION');
    await rejection(f.access.updateToken('bob@pbs!job', { comment: 'x' }, digest), 'STALE_REVISION');
    await rejection(f.access.updateToken('bob@pbs!nope', { comment: 'x' }), 'NOT_FOUND');
  });
});
