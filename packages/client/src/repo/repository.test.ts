import { describe, expect, it } from 'vitest';
import { BackupRepository, resolveRepository } from './repository.js';

describe('repository url', () => {
  const table: [string, { authId: string; host: string; port: number; store: string }][] = [
    ['mystore', { authId: 'root@pam', host: 'localhost', port: 8007, store: 'mystore' }],
    ['myhost:mystore', { authId: 'root@pam', host: 'myhost', port: 8007, store: 'mystore' }],
    [
      'admin@pam@backuphost:8008:tank',
      { authId: 'admin@pam', host: 'backuphost', port: 8008, store: 'tank' },
    ],
    ['192.168.1.1:1234:mystore', { authId: 'root@pam', host: '192.168.1.1', port: 1234, store: 'mystore' }],
    ['[ff80::1]:9007:mystore', { authId: 'root@pam', host: '[ff80::1]', port: 9007, store: 'mystore' }],
    ['[::1]:mystore', { authId: 'root@pam', host: '[::1]', port: 8007, store: 'mystore' }],
    [
      'user@pbs!token@myhost:mystore',
      { authId: 'user@pbs!token', host: 'myhost', port: 8007, store: 'mystore' },
    ],
    [
      'a.b-c.example.com:store_1',
      { authId: 'root@pam', host: 'a.b-c.example.com', port: 8007, store: 'store_1' },
    ],
    ['backup@pbs@10.0.0.1:8007:s', { authId: 'backup@pbs', host: '10.0.0.1', port: 8007, store: 's' }],
    ['8008:tank', { authId: 'root@pam', host: '8008', port: 8007, store: 'tank' }],
  ];
  for (const [url, want] of table) {
    it(`parses '${url}'`, () => {
      const repo = BackupRepository.parse(url);
      expect({ authId: repo.authId, host: repo.host, port: repo.port, store: repo.store }).toEqual(want);
    });
  }

  for (const bad of [
    '',
    'host:',
    ':store',
    'a b:store',
    'h:99999:store',
    'user@host:store!',
    'ff80::1:store',
    'h:1:2:3:s',
  ]) {
    it(`rejects '${bad}'`, () => {
      expect(() => BackupRepository.parse(bad)).toThrow(/unable to parse repository url|out of range/);
    });
  }

  it('displays as PBS (round trip for the short forms)', () => {
    for (const url of ['mystore', 'myhost:mystore', 'admin@pam@backuphost:8008:tank', 'h:9000:s']) {
      expect(BackupRepository.parse(url).toString()).toBe(url);
    }
    expect(BackupRepository.parse('admin@pam@h:s').toString()).toBe('admin@pam@h:8007:s');
  });

  it('brackets a bare IPv6 host given as a part', () => {
    expect(new BackupRepository({ host: 'ff80::1', store: 's' }).host).toBe('[ff80::1]');
    expect(new BackupRepository({ host: '[ff80::1]', store: 's' }).host).toBe('[ff80::1]');
  });

  it('knows tokens and users', () => {
    const repo = BackupRepository.parse('user@pbs!tok@h:s');
    expect(repo.isToken).toBe(true);
    expect(repo.user).toBe('user@pbs');
    expect(BackupRepository.parse('s').isToken).toBe(false);
  });
});

describe('resolveRepository', () => {
  it('prefers --repository, then parts, then PBS_REPOSITORY, then environment parts', () => {
    expect(resolveRepository({ repository: 'h:s' }, { repository: 'x:y' }).toString()).toBe('h:s');
    expect(resolveRepository({ datastore: 'd', server: 'srv' }, { repository: 'x:y' }).toString()).toBe(
      'srv:d',
    );
    expect(resolveRepository({}, { repository: 'x:y', datastore: 'z' }).toString()).toBe('x:y');
    expect(resolveRepository({}, { datastore: 'z', port: 9000 }).toString()).toBe('localhost:9000:z');
  });

  it('completes CLI parts from the environment', () => {
    const repo = resolveRepository({ server: 'cli' }, { datastore: 'envstore', authId: 'u@pbs' });
    expect([repo.host, repo.store, repo.authId]).toEqual(['cli', 'envstore', 'u@pbs']);
  });

  it('refuses mixed and missing input', () => {
    expect(() => resolveRepository({ repository: 'h:s', server: 'x' })).toThrow(/mutually exclusive/);
    expect(() => resolveRepository({ server: 'x' })).toThrow(/--datastore is required/);
    expect(() => resolveRepository({})).toThrow(/unable to get \(default\) repository/);
  });
});
