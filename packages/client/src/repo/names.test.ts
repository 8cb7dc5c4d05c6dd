import { describe, expect, it } from 'vitest';
import { parseBackupSpec, parseGroupOrSnapshot, parseSnapshot, serverArchiveName } from './names.js';

describe('backup source specifications', () => {
  it('parses the four kinds', () => {
    expect(parseBackupSpec('root.pxar:/')).toEqual({
      archive: 'root.pxar',
      kind: 'pxar',
      fileName: 'root.pxar.didx',
      source: '/',
    });
    expect(parseBackupSpec('disk-0.img:/dev/sda').fileName).toBe('disk-0.img.fidx');
    expect(parseBackupSpec('vm_1.conf:/etc/x:y.conf')).toMatchObject({
      fileName: 'vm_1.conf.blob',
      source: '/etc/x:y.conf',
    });
    expect(parseBackupSpec('x.log:/var/log/x').fileName).toBe('x.log.blob');
  });
  it('rejects others', () => {
    for (const bad of ['root:/', 'root.tar:/x', 'a.b.pxar:/x', 'root.pxar:', 'ro ot.pxar:/']) {
      expect(() => parseBackupSpec(bad)).toThrow(/unable to parse backup source specification/);
    }
  });
});

describe('archive names as typed', () => {
  it('adds the server extension', () => {
    expect(serverArchiveName('root.pxar')).toBe('root.pxar.didx');
    expect(serverArchiveName('root.mpxar')).toBe('root.mpxar.didx');
    expect(serverArchiveName('catalog.pcat1')).toBe('catalog.pcat1.didx');
    expect(serverArchiveName('disk.img')).toBe('disk.img.fidx');
    expect(serverArchiveName('qemu-server.conf')).toBe('qemu-server.conf.blob');
    expect(serverArchiveName('index.json')).toBe('index.json.blob');
    expect(serverArchiveName('disk.img.fidx')).toBe('disk.img.fidx');
  });
});

describe('group and snapshot paths', () => {
  it('parses both', () => {
    expect(parseGroupOrSnapshot('host/elsa')).toEqual({ kind: 'group', group: { type: 'host', id: 'elsa' } });
    expect(parseSnapshot('vm/100/2023-11-14T22:13:20Z')).toEqual({ type: 'vm', id: '100', time: 1700000000 });
  });
  it('rejects bad ones', () => {
    for (const bad of ['host', 'foo/x', 'host/x/2023-11-14', 'host/x/2023-11-14T22:13:20+01:00', 'a/b/c/d']) {
      expect(() => parseGroupOrSnapshot(bad)).toThrow();
    }
    expect(() => parseSnapshot('host/x')).toThrow(/is a group/);
  });
});
