import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeUnitPath, lockFilePath } from './lock-path.js';

describe('lock file paths (§1.6b)', () => {
  it('escapes like systemd unit paths, as in PBS', () => {
    expect(escapeUnitPath('vm/100/2022-05-02T08:11:33Z')).toBe('vm-100-2022\\x2d05\\x2d02T08\\x3a11\\x3a33Z');
    expect(escapeUnitPath('vm/100')).toBe('vm-100');
    expect(escapeUnitPath('/leading/slashes')).toBe('leading-slashes');
    expect(escapeUnitPath('.hidden/x.y')).toBe('\\x2ehidden-x.y');
    expect(escapeUnitPath('ü')).toBe('\\xc3\\xbc');
    expect(escapeUnitPath('')).toBe('-');
  });

  it('puts namespaced locks into a directory of the components joined by colons', () => {
    const ns = ['ns1', 'ns2', 'ns3', 'ns4', 'ns5', 'ns6', 'ns7'];
    expect(lockFilePath('/run/locks/store', ns, 'vm/100/2022-05-02T08:11:33Z')).toBe(
      '/run/locks/store/ns1:ns2:ns3:ns4:ns5:ns6:ns7/vm-100-2022\\x2d05\\x2d02T08\\x3a11\\x3a33Z',
    );
    expect(lockFilePath('/l', [], 'vm/100/2022-05-02T08:11:33Z/.index.json.lck')).toBe(
      '/l/vm-100-2022\\x2d05\\x2d02T08\\x3a11\\x3a33Z-.index.json.lck',
    );
  });

  it('hashes names of 255 or more characters as PBS does', () => {
    const rpath = `host/${'x'.repeat(300)}`;
    const enc = escapeUnitPath(rpath);
    const hash = createHash('sha256').update(rpath).digest('hex');
    expect(lockFilePath('/l', ['a'], rpath)).toBe(
      `/l/a/hashed/${enc.slice(0, 80)}...${enc.slice(-80)}-${hash}`,
    );
    expect(path.basename(lockFilePath('/l', [], `host/${'x'.repeat(249)}`))).toHaveLength(254);
  });

  it('keeps every lock below the lock directory', () => {
    // a valid namespace of the maximal 256 characters: joined with ':' it is one byte too long
    const ns = Array.from({ length: 7 }, (_, i) => `${i}${'n'.repeat(i === 6 ? 33 : 35)}`);
    expect(ns.join('/')).toHaveLength(256);
    for (const rpath of ['vm/..', 'host/../../etc', `host/${'y'.repeat(1000)}`]) {
      const file = lockFilePath('/run/l', ns, rpath);
      expect(path.relative('/run/l', file).startsWith('..')).toBe(false);
      expect(path.dirname(path.dirname(file)).startsWith('/run/l')).toBe(true);
    }
    // a namespace directory name too long for the filesystem is hashed under a non-namespace name
    expect(path.relative('/run/l', lockFilePath('/run/l', ns, 'vm/1')).split('/')[0]).toMatch(
      /^\.ns-[0-9a-f]{64}$/,
    );
  });
});
