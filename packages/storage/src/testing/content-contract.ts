import { describe, expect, it } from 'vitest';
import { collect, expectAppError, type ContractContext } from './contract-context.js';

function names(entries: { name: string; kind: string }[]): string[] {
  return entries.map((e) => `${e.name}:${e.kind}`).sort();
}

export function describeContentContract(ctx: () => ContractContext): void {
  describe('content files', () => {
    it('writes, replaces, reads and stats a file, leaving no temp files', async () => {
      const { backend } = ctx();
      await backend.createDir('vm/100', { parents: true });
      await backend.writeFile('vm/100/owner', 'root@pam\n');
      await backend.writeFile('vm/100/owner', Buffer.from('user@pbs\n'));
      expect((await backend.readFile('vm/100/owner')).toString()).toBe('user@pbs\n');
      expect(await backend.statFile('vm/100/owner')).toMatchObject({ kind: 'file', size: 9 });
      expect(names(await backend.listDir('vm/100'))).toEqual(['owner:file']);
    });

    it('needs the directory of a file to exist', async () => {
      const { backend } = ctx();
      await expectAppError(backend.writeFile('host/x/owner', 'a'), 'NOT_FOUND');
    });

    it('refuses an exclusive write over an existing file and keeps its content', async () => {
      const { backend } = ctx();
      await backend.createDir('ct/1', { parents: true });
      await backend.writeFile('ct/1/owner', 'first\n', { exclusive: true });
      await expectAppError(
        backend.writeFile('ct/1/owner', 'second\n', { exclusive: true }),
        'ALREADY_EXISTS',
      );
      expect((await backend.readFile('ct/1/owner')).toString()).toBe('first\n');
      expect(names(await backend.listDir('ct/1'))).toEqual(['owner:file']);
    });

    it('reports missing files and directories', async () => {
      const { backend } = ctx();
      await expectAppError(backend.readFile('nothing'), 'NOT_FOUND');
      expect(await backend.statFile('nothing')).toBeUndefined();
      expect(await backend.removeFile('nothing')).toBe(false);
      await expectAppError(backend.listDir('nothing'), 'NOT_FOUND');
      expect(await backend.removeDir('nothing')).toBe(false);
    });

    it('lists directories with entry kinds, the root included', async () => {
      const { backend } = ctx();
      await backend.createDir('ns/a', { parents: true });
      await backend.writeFile('.gc-status', '{}');
      expect(names(await backend.listDir(''))).toEqual(expect.arrayContaining(['.gc-status:file', 'ns:dir']));
      expect(names(await backend.listDir('ns'))).toEqual(['a:dir']);
      expect(await backend.statFile('')).toMatchObject({ kind: 'dir' });
    });

    it('creates directories with or without parents, exclusively if asked', async () => {
      const { backend } = ctx();
      await expectAppError(backend.createDir('host/a/2024-01-01T00:00:00Z'), 'NOT_FOUND');
      expect(await backend.createDir('host/a/2024-01-01T00:00:00Z', { parents: true })).toBe(true);
      expect(await backend.createDir('host/a/2024-01-01T00:00:00Z')).toBe(false);
      await expectAppError(
        backend.createDir('host/a/2024-01-01T00:00:00Z', { exclusive: true }),
        'ALREADY_EXISTS',
      );
    });

    it('removes directories: empty ones plainly, full ones only recursively', async () => {
      const { backend } = ctx();
      await backend.createDir('host/b/t1', { parents: true });
      await backend.writeFile('host/b/t1/index.json.blob', 'x');
      await expectAppError(backend.removeDir('host/b'), 'INVALID_ARGUMENT');
      expect(await backend.removeDir('host/b', { recursive: true })).toBe(true);
      expect(await backend.statFile('host/b')).toBeUndefined();
      await backend.createDir('host/c', { parents: true });
      expect(await backend.removeDir('host/c')).toBe(true);
    });

    it('renames a file over an existing one', async () => {
      const { backend } = ctx();
      await backend.createDir('host/r', { parents: true });
      await backend.writeFile('host/r/index.json.tmp', 'new');
      await backend.writeFile('host/r/index.json.blob', 'old');
      await backend.renameFile('host/r/index.json.tmp', 'host/r/index.json.blob');
      expect((await backend.readFile('host/r/index.json.blob')).toString()).toBe('new');
      expect(await backend.statFile('host/r/index.json.tmp')).toBeUndefined();
    });

    it('publishes a random-access write only on commit', async () => {
      const { backend } = ctx();
      await backend.createDir('host/w', { parents: true });
      const writer = await backend.createFileWriter('host/w/a.fidx', 'host/w/a.tmp_fidx');
      await writer.write(Buffer.from('world'), 6);
      await writer.write(Buffer.from('hello '), 0);
      await writer.write(Buffer.from('!!!!'), 11);
      await writer.truncate(12);
      expect(await backend.statFile('host/w/a.fidx')).toBeUndefined();
      await writer.commit();
      expect((await backend.readFile('host/w/a.fidx')).toString()).toBe('hello world!');
      expect(names(await backend.listDir('host/w'))).toEqual(['a.fidx:file']);
    });

    it('leaves nothing behind when a random-access write is aborted', async () => {
      const { backend } = ctx();
      await backend.createDir('host/w2', { parents: true });
      const writer = await backend.createFileWriter('host/w2/a.didx', 'host/w2/a.tmp_didx');
      await writer.write(Buffer.from('partial'), 0);
      await writer.abort();
      await writer.abort();
      expect(await backend.listDir('host/w2')).toEqual([]);
      await expectAppError(writer.write(Buffer.from('x'), 0), 'INTERNAL');
    });

    it('rejects paths that escape the datastore or reach into the chunk store', async () => {
      const { backend } = ctx();
      const bad = ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'a/', '.chunks/0000/x', 'a\0b'];
      for (const path of bad) {
        await expectAppError(backend.readFile(path), 'INVALID_ARGUMENT');
        await expectAppError(backend.writeFile(path, 'x'), 'INVALID_ARGUMENT');
        await expectAppError(backend.removeFile(path), 'INVALID_ARGUMENT');
        await expectAppError(backend.createDir(path, { parents: true }), 'INVALID_ARGUMENT');
      }
      await expectAppError(backend.listDir('../'), 'INVALID_ARGUMENT');
      expect(await collect(backend.listChunkFiles())).toEqual([]);
    });

    it('syncs without error', async () => {
      const { backend } = ctx();
      await backend.sync();
    });
  });
}
