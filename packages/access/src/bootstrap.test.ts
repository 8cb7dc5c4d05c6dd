import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { openAccess, type AccessFixture } from './testing/access-fixture.js';

let f: AccessFixture;

beforeEach(async () => {
  f = await openAccess();
});

afterEach(() => f.cleanup());

describe('AccessControl.open', () => {
  it('creates the signing and CSRF keys with private modes, and keeps them on reopen', async () => {
    expect(f.read('authkey.key')).toContain('-----BEGIN PRIVATE KEY-----');
    expect(f.read('authkey.pub')).toContain('-----BEGIN PUBLIC KEY-----');
    expect(f.mode('authkey.key')).toBe(0o600);
    expect(f.mode('csrf.key')).toBe(0o600);
    expect(Buffer.from(f.read('csrf.key'), 'base64')).toHaveLength(64);
    const before = [f.read('authkey.key'), f.read('csrf.key')];
    const again = await openAccess({ etcDir: f.etcDir });
    expect([f.read('authkey.key'), f.read('csrf.key')]).toEqual(before);
    // a ticket of the first instance verifies in the second: same key
    await f.access.bootstrapAdmin('first-password');
    const { ticket } = await f.access.login('admin@pbs', 'first-password', '127.0.0.1');
    await expect(again.access.verifyTicket(ticket)).resolves.toEqual({ userid: 'admin@pbs' });
    again.cleanup();
  });
});

describe('bootstrapAdmin', () => {
  it('creates admin@pbs with Admin on / and a generated password, once', async () => {
    const first = await f.access.bootstrapAdmin();
    expect(first.created).toBe(true);
    expect(first.password?.length).toBeGreaterThanOrEqual(20);
    expect(f.read('user.cfg')).toBe('user: admin@pbs\n\tcomment Administrator\n\tenable true\n\texpire 0\n');
    expect(f.read('acl.cfg')).toBe('acl:1:/:admin@pbs:Admin\n');
    await expect(f.access.verifyPassword('admin@pbs', first.password ?? '')).resolves.toBe(true);

    const userCfg = f.read('user.cfg');
    await expect(f.access.bootstrapAdmin()).resolves.toEqual({ created: false });
    await expect(f.access.bootstrapAdmin('another-password')).resolves.toEqual({ created: false });
    expect(f.read('user.cfg')).toBe(userCfg);
    await expect(f.access.verifyPassword('admin@pbs', 'another-password')).resolves.toBe(false);
  });

  it('uses a given password without echoing it, and stores only a hash in a 0600 file', async () => {
    await expect(f.access.bootstrapAdmin('s3cret-admin-pw')).resolves.toEqual({ created: true });
    const shadow = f.read('shadow.json');
    expect(shadow).not.toContain('s3cret-admin-pw');
    expect(Object.keys(JSON.parse(shadow) as object)).toEqual(['admin']);
    expect(f.mode('shadow.json')).toBe(0o600);
    expect((await f.access.privileges('admin@pbs', '/datastore/any')) !== 0).toBe(true);
  });

  it('does nothing when any user exists, even without an administrator', async () => {
    fs.writeFileSync(path.join(f.etcDir, 'user.cfg'), 'user: bob@pbs\n');
    await expect(f.access.bootstrapAdmin()).resolves.toEqual({ created: false });
    expect(fs.existsSync(path.join(f.etcDir, 'acl.cfg'))).toBe(false);
    expect(fs.existsSync(path.join(f.etcDir, 'shadow.json'))).toBe(false);
  });

  it('refuses a too short password', async () => {
    await expect(f.access.bootstrapAdmin('short')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('lists the pbs realm as the default', () => {
    expect(f.access.realms()).toEqual([
      { realm: 'pbs', type: 'pbs', comment: 'Proxmox Backup authentication server', default: true },
    ]);
  });
});
