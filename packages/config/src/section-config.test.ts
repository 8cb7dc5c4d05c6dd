import { describe, it, expect } from 'vitest';
import {
  SectionConfigData,
  formatSectionConfig,
  parseSectionConfig,
  sectionProperties,
  sectionProperty,
} from './index.js';

// Samples in the exact shape PBS writes them: sorted keys, TAB indent, one blank line between
// sections, trailing newline.
const DATASTORE_CFG = [
  'datastore: store1',
  '\tcomment ',
  '\tgc-schedule daily',
  '\tnotification-mode notification-system',
  '\tpath /mnt/datastore/store1',
  '\ttuning chunk-order=none,gc-atime-cutoff=1445,sync-level=file',
  '',
  'datastore: s3-store',
  '\tbackend bucket=pbs-bucket,client=minio,type=s3',
  '\tcomment S3 with "quotes" and spaces',
  '\tmaintenance-mode type=read-only,message=disk%20swap',
  '\tpath /mnt/datastore/s3-store',
  '',
].join('\n');

const USER_CFG = [
  'user: root@pam',
  '\tcomment Superuser',
  '\temail root@example.com',
  '\tenable true',
  '\texpire 0',
  '',
  'user: alice@pbs',
  '\tenable false',
  '\texpire 1893456000',
  '\tfirstname Alice',
  '',
  'token: alice@pbs!backup',
  '\tcomment nightly job',
  '\tenable true',
  '\texpire 0',
  '',
].join('\n');

const REMOTE_CFG = [
  'remote: offsite',
  '\tauth-id sync@pbs!pull',
  '\tfingerprint 64:d3:ff:3a:50:38:53:5a:9b:f7:50:8f:e2:9b:26:fd:18:c2:8c:1a:bc:52:1e:8a:0e:2d:64:09:47:b2:3e:2f',
  '\thost backup.example.com',
  '\tpassword c2VjcmV0',
  '\tport 8007',
  '',
].join('\n');

const SYNC_CFG = [
  'sync: s-4a1011e8-40e2',
  '\tgroup-filter group:vm/144',
  '\tremote offsite',
  '\tremote-store store2',
  '\tschedule monthly',
  '\tstore store1',
  '',
  'sync: s-5b2122f9-51f3',
  '\tgroup-filter group:vm/100',
  '\tschedule hourly',
  '\tgroup-filter regex:^ct/1[0-9]+$',
  '\tstore store1',
  '',
].join('\n');

interface ParseFailure {
  code: string;
  message: string;
  details: unknown;
}

function parseError(text: string): ParseFailure {
  try {
    parseSectionConfig(text, 'user.cfg');
  } catch (err) {
    return err as ParseFailure;
  }
  throw new Error('expected a parse error');
}

describe('section config round trip', () => {
  it.each([
    ['datastore.cfg', DATASTORE_CFG],
    ['user.cfg', USER_CFG],
    ['remote.cfg', REMOTE_CFG],
    ['sync.cfg', SYNC_CFG],
  ])('%s formats back byte for byte', (name, text) => {
    expect(formatSectionConfig(parseSectionConfig(text, name))).toBe(text);
  });

  it('keeps section order, types and repeated keys in order', () => {
    const data = parseSectionConfig(SYNC_CFG + '\n' + USER_CFG, 'mixed.cfg');
    expect(data.sections.map((s) => `${s.type}:${s.id}`)).toEqual([
      'sync:s-4a1011e8-40e2',
      'sync:s-5b2122f9-51f3',
      'user:root@pam',
      'user:alice@pbs',
      'token:alice@pbs!backup',
    ]);
    const second = data.get('s-5b2122f9-51f3');
    expect(second && sectionProperties(second, 'group-filter')).toEqual([
      'group:vm/100',
      'regex:^ct/1[0-9]+$',
    ]);
    expect(second && sectionProperty(second, 'schedule')).toBe('hourly');
    expect(second && sectionProperty(second, 'missing')).toBeUndefined();
    expect(data.list('user').map((s) => s.id)).toEqual(['root@pam', 'alice@pbs']);
  });

  it('keeps an empty value (PBS writes "comment " for an empty comment)', () => {
    const store = parseSectionConfig(DATASTORE_CFG, 'datastore.cfg').get('store1');
    expect(store && sectionProperty(store, 'comment')).toBe('');
    const s3 = parseSectionConfig(DATASTORE_CFG, 'datastore.cfg').get('s3-store');
    expect(s3 && sectionProperty(s3, 'comment')).toBe('S3 with "quotes" and spaces');
  });

  it('reads the relaxed forms PBS accepts and writes them canonically', () => {
    const text =
      '\n\nlvmthin: local-lvm\n        thinpool data\n    vgname   pve5  \n\n' +
      '# a comment line\nlvmthin:   local-lvm2\r\n\tcontent\trootdir,images';
    const data = parseSectionConfig(text, 'storage.cfg');
    expect(formatSectionConfig(data)).toBe(
      'lvmthin: local-lvm\n\tthinpool data\n\tvgname pve5\n\nlvmthin: local-lvm2\n\tcontent rootdir,images\n',
    );
  });

  it('formats an empty config as an empty file and a bare section as its header', () => {
    expect(formatSectionConfig(new SectionConfigData())).toBe('');
    expect(parseSectionConfig('', 'x.cfg').sections).toEqual([]);
    const data = new SectionConfigData();
    data.set('remote', 'r1', []);
    expect(formatSectionConfig(data)).toBe('remote: r1\n');
  });
});

describe('SectionConfigData', () => {
  it('set replaces in place, appends new ids, delete removes', () => {
    const data = parseSectionConfig(USER_CFG, 'user.cfg');
    data.set('user', 'root@pam', [['comment', 'Admin']]);
    data.set('user', 'bob@pbs', [['enable', 'true']]);
    expect(data.sections.map((s) => s.id)).toEqual(['root@pam', 'alice@pbs', 'alice@pbs!backup', 'bob@pbs']);
    expect(data.delete('alice@pbs!backup')).toBe(true);
    expect(data.delete('alice@pbs!backup')).toBe(false);
    expect(formatSectionConfig(data)).toBe(
      [
        'user: root@pam',
        '\tcomment Admin',
        '',
        'user: alice@pbs',
        '\tenable false',
        '\texpire 1893456000',
        '\tfirstname Alice',
        '',
        'user: bob@pbs',
        '\tenable true',
        '',
      ].join('\n'),
    );
  });

  it('set copies the given properties so later edits of the array do not leak in', () => {
    const data = new SectionConfigData();
    const props: Array<[string, string]> = [['a', '1']];
    data.set('t', 'id1', props);
    props.push(['b', '2']);
    expect(data.get('id1')?.properties).toEqual([['a', '1']]);
  });
});

describe('section config errors', () => {
  it.each([
    ['user: a@pbs\n\tenable true\n\tcomment\n', 3, "property 'comment' has no value"],
    ['\tenable true\n', 1, 'property line outside of a section'],
    ['user a@pbs\n', 1, "expected a section header '<type>: <id>'"],
    ['user: a@pbs\nuser: b@pbs\n', 2, 'expected an indented property line'],
    ['user: a@pbs\n\nuser: a@pbs\n', 3, "duplicate section id 'a@pbs'"],
    ['user:\n', 1, "section 'user' has no id"],
    ['user: a b\n', 1, "invalid section id 'a b'"],
    ['1user: a\n', 1, "invalid section type '1user'"],
    ['user: a@pbs\n\tcomment bell\u0007\n', 2, 'control character'],
    ['user: a@pbs\n\tcom=ment x\n', 2, "invalid property name 'com=ment'"],
  ])('%j fails at line %i', (text, line, why) => {
    const err = parseError(text);
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toContain(`config file 'user.cfg' line ${line}: `);
    expect(err.message).toContain(why);
    expect(err.details).toEqual({ file: 'user.cfg', line });
  });

  it('refuses to write values that would not read back', () => {
    const data = new SectionConfigData();
    data.set('user', 'a@pbs', [['comment', 'two\nlines']]);
    expect(() => formatSectionConfig(data)).toThrow(/control character/);
    data.set('user', 'a@pbs', [['bad key', 'x']]);
    expect(() => formatSectionConfig(data)).toThrow(/invalid property name/);
    const badId = new SectionConfigData();
    badId.set('user', 'has space', []);
    expect(() => formatSectionConfig(badId)).toThrow(/invalid section id/);
  });

  it('refuses duplicate ids on write', () => {
    const data = new SectionConfigData([
      { type: 'user', id: 'a@pbs', properties: [] },
      { type: 'token', id: 'a@pbs', properties: [] },
    ]);
    expect(() => formatSectionConfig(data)).toThrow(/duplicate section id 'a@pbs'/);
  });
});
