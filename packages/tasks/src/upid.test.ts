import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UPID_REGEX } from '@pbs/api-types/domain';
import { expectAppError } from './testing/app-error.js';
import { escapeWorkerId, formatUpid, parseUpid, taskLogPath, unescapeWorkerId, type Upid } from './upid.js';

const base: Upid = {
  node: 'elsa',
  pid: 0x4f37,
  pstart: 0x39e469,
  taskId: 0,
  startTime: 0x5ca78b83,
  workerType: 'garbage_collection',
  workerId: null,
  authId: 'root@pam',
};

// Built from pbs-formats §9.1 and the example in proxmox-schema's upid.rs.
const vectors: Array<[string, Upid]> = [
  ['UPID:elsa:00004F37:0039E469:00000000:5CA78B83:garbage_collection::root@pam:', base],
  [
    'UPID:pbs1:000004D2:0001E240:0000002A:6874F6F2:backup:store1\\x3avm-100:root@pam:',
    {
      ...base,
      node: 'pbs1',
      pid: 1234,
      pstart: 123456,
      taskId: 42,
      startTime: 0x6874f6f2,
      workerType: 'backup',
      workerId: 'store1:vm/100',
    },
  ],
  [
    'UPID:node-2:0000FFFF:1000000FF:00000001:00000000:verify:\\x2ehidden\\x20dir-a\\x2db:admin@pbs!tok:',
    {
      ...base,
      node: 'node-2',
      pid: 0xffff,
      pstart: 0x1000000ff,
      taskId: 1,
      startTime: 0,
      workerType: 'verify',
      workerId: '.hidden dir/a-b',
      authId: 'admin@pbs!tok',
    },
  ],
  [
    'UPID:a:00000001:00000002:1234567890ABCD:00000003:sync:r\\xc3\\xbcck:u@pam:',
    {
      ...base,
      node: 'a',
      pid: 1,
      pstart: 2,
      taskId: 0x1234567890abcd,
      startTime: 3,
      workerType: 'sync',
      workerId: 'rück',
      authId: 'u@pam',
    },
  ],
];

describe('UPID', () => {
  it.each(vectors)('formats and parses %s', (text, upid) => {
    expect(formatUpid(upid)).toBe(text);
    expect(parseUpid(text)).toEqual(upid);
    expect(text).toMatch(UPID_REGEX);
  });

  it('accepts lowercase hex and up to 16 task-id digits, formatting them back in uppercase', () => {
    const text = 'UPID:elsa:00004f37:0039e469:000000000000002a:5ca78b83:prune:store1:root@pam:';
    const upid = parseUpid(text);
    expect(upid).toMatchObject({ pid: 0x4f37, taskId: 42, workerId: 'store1' });
    expect(formatUpid(upid)).toBe('UPID:elsa:00004F37:0039E469:0000002A:5CA78B83:prune:store1:root@pam:');
  });

  it.each([
    ['no trailing colon', 'UPID:elsa:00004F37:0039E469:00000000:5CA78B83:gc::root@pam'],
    ['lowercase prefix', 'upid:elsa:00004F37:0039E469:00000000:5CA78B83:gc::root@pam:'],
    ['short pid', 'UPID:elsa:4F37:0039E469:00000000:5CA78B83:gc::root@pam:'],
    ['9-digit pid', 'UPID:elsa:000004F37:0039E469:00000000:5CA78B83:gc::root@pam:'],
    ['10-digit pstart', 'UPID:elsa:00004F37:000039E469:00000000:5CA78B83:gc::root@pam:'],
    ['17-digit task id', 'UPID:elsa:00004F37:0039E469:00000000000000000:5CA78B83:gc::root@pam:'],
    ['9-digit start time', 'UPID:elsa:00004F37:0039E469:00000000:05CA78B83:gc::root@pam:'],
    ['non-hex pid', 'UPID:elsa:00004G37:0039E469:00000000:5CA78B83:gc::root@pam:'],
    ['empty worker type', 'UPID:elsa:00004F37:0039E469:00000000:5CA78B83:::root@pam:'],
    ['empty auth id', 'UPID:elsa:00004F37:0039E469:00000000:5CA78B83:gc:::'],
    ['node with a dot', 'UPID:elsa.lan:00004F37:0039E469:00000000:5CA78B83:gc::root@pam:'],
    ['node ending in a dash', 'UPID:elsa-:00004F37:0039E469:00000000:5CA78B83:gc::root@pam:'],
    ['space in worker id', 'UPID:elsa:00004F37:0039E469:00000000:5CA78B83:gc:a b:root@pam:'],
    ['extra field', 'UPID:elsa:00004F37:0039E469:00000000:5CA78B83:gc:x:y:root@pam:'],
    ['short escape', 'UPID:elsa:00004F37:0039E469:00000000:5CA78B83:gc:a\\x4:root@pam:'],
    ['non-hex escape', 'UPID:elsa:00004F37:0039E469:00000000:5CA78B83:gc:a\\xzz:root@pam:'],
    ['escape that is not UTF-8', 'UPID:elsa:00004F37:0039E469:00000000:5CA78B83:gc:\\xff:root@pam:'],
    ['task id beyond 2^53', 'UPID:elsa:00004F37:0039E469:FFFFFFFFFFFFFFFF:5CA78B83:gc::root@pam:'],
    ['empty string', ''],
  ])('rejects %s', async (_label, text) => {
    await expectAppError(() => parseUpid(text), 'INVALID_ARGUMENT');
  });
});

describe('worker id escaping', () => {
  it.each([
    ['store1:vm/100', 'store1\\x3avm-100'],
    ['ns/a/b', 'ns-a-b'],
    ['a.b_c', 'a.b_c'],
    ['.x', '\\x2ex'],
    ['-', '\\x2d'],
    ['\\', '\\x5c'],
    ['ü', '\\xc3\\xbc'],
    ['', ''],
  ])('%s ↔ %s', (raw, escaped) => {
    expect(escapeWorkerId(raw)).toBe(escaped);
    expect(unescapeWorkerId(escaped)).toBe(raw);
  });

  it('accepts uppercase hex when unescaping, as PBS does', () => {
    expect(unescapeWorkerId('a\\x3Ab')).toBe('a:b');
  });
});

describe('taskLogPath', () => {
  it('buckets by the low byte of pstart, not by the start time', () => {
    const upid = { ...base, pstart: 0x1000000ab, startTime: 0x12345678 };
    expect(taskLogPath('/var/log/tasks', upid)).toBe(join('/var/log/tasks', 'AB', formatUpid(upid)));
    expect(taskLogPath('/l', base)).toBe(join('/l', '69', formatUpid(base)));
    expect(taskLogPath('/l', { ...base, pstart: 0x100 })).toBe(
      join('/l', '00', formatUpid({ ...base, pstart: 0x100 })),
    );
  });
});
