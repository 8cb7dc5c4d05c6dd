import { describe, expect, it } from 'vitest';
import { badChunkFileName, usingMarkerFileName } from '../chunk-names.js';
import { collect, digestOf, expectAppError, T0, type ContractContext } from './contract-context.js';

const TIME_TOLERANCE_MS = 1;

export function describeChunkContract(ctx: () => ContractContext): void {
  describe('chunk files', () => {
    it('stores a chunk byte-exactly and reports its size', async () => {
      const { backend } = ctx();
      const name = digestOf('a');
      const data = Buffer.from('chunk payload \x00\xff', 'latin1');
      expect(await backend.writeChunk(name, data)).toBe(true);
      expect(await backend.readChunk(name)).toEqual(data);
      expect(await backend.statChunk(name)).toMatchObject({ isFile: true, size: data.length });
    });

    it('reads just the head of a chunk when asked for a length', async () => {
      const { backend } = ctx();
      const name = digestOf('head');
      await backend.writeChunk(name, Buffer.from('0123456789'));
      expect((await backend.readChunk(name, { length: 4 })).toString()).toBe('0123');
      expect((await backend.readChunk(name, { length: 64 })).toString()).toBe('0123456789');
    });

    it('reports a missing chunk as undefined, NOT_FOUND and an unsuccessful touch', async () => {
      const { backend } = ctx();
      const name = digestOf('missing');
      expect(await backend.statChunk(name)).toBeUndefined();
      await expectAppError(backend.readChunk(name), 'NOT_FOUND');
      expect(await backend.touchChunk(name)).toBe(false);
    });

    it('replaces a chunk when asked to overwrite', async () => {
      const { backend } = ctx();
      const name = digestOf('replace');
      await backend.writeChunk(name, Buffer.from('bigger old content'));
      await backend.writeChunk(name, Buffer.from('new'), { overwrite: true });
      expect((await backend.readChunk(name)).toString()).toBe('new');
    });

    it('gives a new chunk the clock time and moves only its atime on touch', async () => {
      const { backend, clock } = ctx();
      const name = digestOf('touch');
      clock.set(T0);
      await backend.writeChunk(name, Buffer.from('x'));
      const before = await backend.statChunk(name);
      expect(before?.atimeMs).toBeCloseTo(T0, -Math.log10(TIME_TOLERANCE_MS));
      clock.set(T0 + 3_600_000.5);
      expect(await backend.touchChunk(name)).toBe(true);
      const after = await backend.statChunk(name);
      expect(Math.abs((after?.atimeMs ?? 0) - (T0 + 3_600_000.5))).toBeLessThan(TIME_TOLERANCE_MS);
      expect(Math.abs((after?.mtimeMs ?? 0) - (before?.mtimeMs ?? NaN))).toBeLessThan(TIME_TOLERANCE_MS);
    });

    it('renames a chunk to its bad name, keeping the bytes', async () => {
      const { backend } = ctx();
      const digest = digestOf('bad');
      await backend.writeChunk(digest, Buffer.from('corrupt'));
      await backend.renameChunk(digest, badChunkFileName(digest, 0));
      expect(await backend.statChunk(digest)).toBeUndefined();
      expect((await backend.readChunk(badChunkFileName(digest, 0))).toString()).toBe('corrupt');
      await expectAppError(backend.renameChunk(digest, badChunkFileName(digest, 1)), 'NOT_FOUND');
    });

    it('refuses to rename a chunk into another prefix', async () => {
      const { backend } = ctx();
      const [a, b] = [digestOf('p1'), digestOf('p2')];
      await backend.writeChunk(a, Buffer.from('x'));
      await expectAppError(backend.renameChunk(a, b), 'INVALID_ARGUMENT');
      expect(await backend.statChunk(a)).toBeDefined();
    });

    it('removes chunk files and ignores missing ones', async () => {
      const { backend } = ctx();
      const [a, b] = [digestOf('rm1'), digestOf('rm2')];
      await backend.writeChunk(a, Buffer.from('1'));
      await backend.writeChunk(usingMarkerFileName(b), Buffer.alloc(0));
      await backend.removeChunkFiles([a, usingMarkerFileName(b), digestOf('never')]);
      expect(await backend.statChunk(a)).toBeUndefined();
      expect(await backend.statChunk(usingMarkerFileName(b))).toBeUndefined();
    });

    it('lists chunk, bad and using files with kind, size and atime, in prefix order', async () => {
      const { backend, clock } = ctx();
      clock.set(T0);
      const digests = ['0000', 'ffff', '8a00', '00ff'].map((p) => p + digestOf(p).slice(4));
      const [d0, d1, d2, d3] = digests as [string, string, string, string];
      await backend.writeChunk(d0, Buffer.from('zero'));
      await backend.writeChunk(d1, Buffer.from('one'));
      await backend.writeChunk(badChunkFileName(d2, 3), Buffer.from('bad'));
      await backend.writeChunk(usingMarkerFileName(d3), Buffer.alloc(0));
      const listed = await collect(backend.listChunkFiles());
      expect(listed.map((e) => e.name)).toEqual([d0, usingMarkerFileName(d3), badChunkFileName(d2, 3), d1]);
      expect(listed.map((e) => [e.digest, e.kind, e.size])).toEqual([
        [d0, 'chunk', 4],
        [d3, 'using', 0],
        [d2, 'bad', 3],
        [d1, 'chunk', 3],
      ]);
      for (const e of listed) expect(Math.abs(e.atimeMs - T0)).toBeLessThan(TIME_TOLERANCE_MS);
    });

    it('stops listing when the signal is aborted', async () => {
      const { backend } = ctx();
      await backend.writeChunk(digestOf('abort'), Buffer.from('x'));
      const controller = new AbortController();
      controller.abort();
      await expect(collect(backend.listChunkFiles({ signal: controller.signal }))).rejects.toThrow();
    });

    it('rejects names that are not chunk file names before touching anything', async () => {
      const { backend } = ctx();
      const bad = ['', 'abc', digestOf('x').toUpperCase(), `${digestOf('x')}.10.bad`, `../${digestOf('x')}`];
      for (const name of bad) {
        await expectAppError(backend.writeChunk(name, Buffer.from('x')), 'INVALID_ARGUMENT');
        await expectAppError(backend.statChunk(name), 'INVALID_ARGUMENT');
        await expectAppError(backend.readChunk(name), 'INVALID_ARGUMENT');
        await expectAppError(backend.touchChunk(name), 'INVALID_ARGUMENT');
        await expectAppError(backend.removeChunkFiles([name]), 'INVALID_ARGUMENT');
      }
      expect(await collect(backend.listChunkFiles())).toEqual([]);
    });
  });
}
