import { describe, it, expect } from 'vitest';
import { isActive, userConfigCodec } from './user-config.js';

const PBS_USER_CFG = [
  'user: root@pam',
  '\tcomment Superuser',
  '\temail root@example.com',
  '\tenable true',
  '\texpire 0',
  '',
  'user: alice@pbs',
  '\tenable no',
  '\texpire 1893456000',
  '\tfirstname Alice',
  '',
  'token: alice@pbs!backup',
  '\tcomment nightly job',
  '\tenable true',
  '\texpire 0',
  '',
].join('\n');

describe('user.cfg', () => {
  it('reads users and tokens with PBS boolean spellings and defaults', () => {
    const config = userConfigCodec.parse(PBS_USER_CFG, 'user.cfg');
    expect(config.users()).toEqual([
      { userid: 'root@pam', comment: 'Superuser', email: 'root@example.com', enable: true, expire: 0 },
      { userid: 'alice@pbs', enable: false, expire: 1893456000, firstname: 'Alice' },
    ]);
    expect(config.tokens('alice@pbs')).toEqual([
      { tokenid: 'alice@pbs!backup', comment: 'nightly job', enable: true, expire: 0 },
    ]);
    expect(config.tokens('root@pam')).toEqual([]);
    expect(config.user('alice@pbs!backup')).toBeUndefined();
    expect(config.token('alice@pbs')).toBeUndefined();
  });

  it('formats an untouched file byte for byte', () => {
    expect(userConfigCodec.format(userConfigCodec.parse(PBS_USER_CFG, 'user.cfg'))).toBe(PBS_USER_CFG);
  });

  it('writes records with sorted keys and without unset fields', () => {
    const config = userConfigCodec.parse('', 'user.cfg');
    config.putUser({
      userid: 'bob@pbs',
      lastname: 'Builder',
      enable: true,
      expire: 0,
      comment: undefined,
      email: 'b@x',
    });
    config.putToken({ tokenid: 'bob@pbs!t1', expire: 5, enable: false });
    expect(userConfigCodec.format(config)).toBe(
      'user: bob@pbs\n\temail b@x\n\tenable true\n\texpire 0\n\tlastname Builder\n\ntoken: bob@pbs!t1\n\tenable false\n\texpire 5\n',
    );
  });

  it.each([
    ['user: alice@pbs\n\tenable maybe\n', "user 'alice@pbs': invalid enable 'maybe'"],
    ['user: alice@pbs\n\texpire -1\n', "user 'alice@pbs': invalid expire '-1'"],
    ['user: alice\n', "invalid user id 'alice'"],
    ['token: alice@pbs\n', "invalid token id 'alice@pbs'"],
    ['group: admins\n', "unknown section type 'group'"],
  ])('rejects %j as corrupt', (text, why) => {
    expect(() => userConfigCodec.parse(text, 'user.cfg')).toThrow(`config file 'user.cfg': ${why}`);
  });

  it.each([
    [{}, true],
    [{ enable: false }, false],
    [{ expire: 0 }, true],
    [{ expire: 1000 }, false],
    [{ expire: 1001 }, true],
  ])('isActive(%j) at 1000 is %s', (record, expected) => {
    expect(isActive(record, 1000)).toBe(expected);
  });
});
