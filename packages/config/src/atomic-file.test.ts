import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { replaceFileAtomic, replaceFileAtomicSync } from './index.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbs-atomic-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const variants = [
  ['async', replaceFileAtomic],
  [
    'sync',
    // a throw inside the executor becomes a rejection, like the async variant's
    (...args: Parameters<typeof replaceFileAtomicSync>) =>
      new Promise<void>((resolve) => {
        replaceFileAtomicSync(...args);
        resolve();
      }),
  ],
] as const;

describe.each(variants)('replaceFileAtomic (%s)', (_name, replace) => {
  it('creates and replaces the file, leaving no temp file behind', async () => {
    const target = path.join(dir, 'user.cfg');
    await replace(target, 'first\n');
    await replace(target, new TextEncoder().encode('second\n'));
    expect(fs.readFileSync(target, 'utf8')).toBe('second\n');
    expect(fs.readdirSync(dir)).toEqual(['user.cfg']);
  });

  it('applies the mode regardless of umask and of the old file mode', async () => {
    const target = path.join(dir, 'shadow.json');
    fs.writeFileSync(target, 'old', { mode: 0o666 });
    fs.chmodSync(target, 0o666);
    await replace(target, '{}', { mode: 0o600 });
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    await replace(target, '{}', { mode: 0o640 });
    expect(fs.statSync(target).mode & 0o777).toBe(0o640);
  });

  it('replaces the inode, so a reader holding the old file keeps the old content', async () => {
    const target = path.join(dir, 'acl.cfg');
    await replace(target, 'old');
    const fd = fs.openSync(target, 'r');
    await replace(target, 'new');
    expect(fs.readFileSync(fd, 'utf8')).toBe('old');
    fs.closeSync(fd);
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
  });

  it('fails with INTERNAL naming the file, removes the temp file and keeps the old content', async () => {
    const target = path.join(dir, 'cfg');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'x');
    const failure = replace(target, 'data');
    await expect(failure).rejects.toThrow(`unable to replace file '${target}'`);
    await expect(failure).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(fs.readdirSync(dir)).toEqual(['cfg']);
    expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('x');
  });
});
