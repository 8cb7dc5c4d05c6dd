import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PxarAccessor, type ReadAt } from '../accessor/accessor.js';
import { PxarDecoder } from '../decoder/decoder.js';
import { PXAR_PAYLOAD, mode } from '../format/constants.js';
import { headerOnly } from '../format/items.js';
import { makeMetadata, type Metadata } from '../format/types.js';
import { listArchive } from '../testing/listing.js';
import { streamA } from '../testing/stream-a.js';
import { PxarEncoder } from './encoder.js';

const dir = makeMetadata({ mode: mode.IFDIR | 0o755 });
const file = (secs = 1): Metadata => makeMetadata({ mode: mode.IFREG | 0o644, mtime: { secs, nanos: 0 } });
const readerOf =
  (buf: Buffer): ReadAt =>
  (offset, length) =>
    Promise.resolve(buf.subarray(offset, offset + length));

async function withEncoder(
  build: (enc: PxarEncoder) => Promise<void>,
  opts: { split?: boolean; prelude?: Buffer } = {},
): Promise<{ archive: Buffer; payload: Buffer }> {
  const a: Buffer[] = [];
  const p: Buffer[] = [];
  const enc = await PxarEncoder.create((b) => void a.push(b), dir, {
    payloadSink: opts.split ? (b) => void p.push(b) : undefined,
    prelude: opts.prelude,
  });
  await build(enc);
  await enc.finishDirectory();
  await enc.close();
  return { archive: Buffer.concat(a), payload: Buffer.concat(p) };
}

describe('encoder misuse', () => {
  it('rejects bad names and metadata', async () => {
    const enc = await PxarEncoder.create(() => undefined, dir);
    for (const name of ['', '.', '..', 'a/b', 'nul\0']) {
      await expect(enc.addFifo(makeMetadata({ mode: mode.IFIFO }), name)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    await expect(enc.addFifo(file(), 'x')).rejects.toThrow(/fifo/);
    await expect(enc.addSocket(file(), 'x')).rejects.toThrow(/socket/);
    await expect(enc.addDevice(file(), 'x', { major: 1, minor: 1 })).rejects.toThrow(/device mode/);
    await expect(enc.createDirectory('d', file())).rejects.toThrow(/directory mode/);
    await expect(PxarEncoder.create(() => undefined, file())).rejects.toThrow(/directory mode/);
    await expect(PxarEncoder.create(() => undefined, dir, { prelude: Buffer.from('x') })).rejects.toThrow(
      /format version 1/,
    );
    await expect(enc.addPayloadRef(file(), 'r', 1, 0)).rejects.toThrow(/format version 1/);
    await expect(enc.addHardlink('h', 'x', 1_000_000)).rejects.toThrow(/prior files/);
  });

  it('enforces exact file sizes and one open file', async () => {
    const enc = await PxarEncoder.create(() => undefined, dir);
    await enc.beginFile(file(), 'f', 4);
    await expect(enc.writeFileData(Buffer.alloc(5))).rejects.toThrow(/more than previously allocated/);
    await enc.writeFileData(Buffer.alloc(3));
    await expect(enc.addFifo(makeMetadata({ mode: mode.IFIFO }), 'x')).rejects.toThrow(/incomplete file/);
    expect(() => enc.endFile()).toThrow(/1 of 4 bytes missing/);
    await enc.writeFileData(Buffer.alloc(1));
    enc.endFile();
    await expect(enc.addFile(file(), 'g', 2, [Buffer.alloc(1)])).rejects.toThrow(/missing/);
  });

  it('refuses to close with open directories and to continue after the root', async () => {
    const enc = await PxarEncoder.create(() => undefined, dir);
    await enc.createDirectory('d', dir);
    await expect(enc.close()).rejects.toThrow(/directories still open/);
    await enc.finishDirectory();
    await enc.finishDirectory();
    await expect(enc.finishDirectory()).rejects.toThrow(/underflow/);
    await enc.close();
    await expect(enc.addFifo(makeMetadata({ mode: mode.IFIFO }), 'x')).rejects.toThrow(/finished/);
  });
});

describe('encoder and readers agree', () => {
  it('handles large directories (goodbye tables beyond one read) with lookups of every name', async () => {
    const names = Array.from({ length: 1500 }, (_, i) => `file-${(i * 7919) % 1500}-${'x'.repeat(i % 40)}`);
    const sorted = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const { archive } = await withEncoder(async (enc) => {
      for (const [i, name] of sorted.entries()) await enc.addFile(file(i), name, 1, Buffer.from([i & 0xff]));
    });
    const listing = await listArchive([archive]);
    expect(listing).toHaveLength(1501);
    const accessor = await PxarAccessor.open(readerOf(archive), archive.length);
    const root = await accessor.openRoot();
    expect(root.entryCount).toBe(1500);
    for (const [i, name] of sorted.entries()) {
      const entry = await root.lookup(name);
      expect(entry?.entry.metadata.stat.mtime.secs).toBe(i);
    }
    expect(await root.lookup('file-nope')).toBeNull();
  });

  it('streams large files in both formats with any source chunking', async () => {
    const big = streamA(0, 5 * 1024 * 1024 + 3);
    const sha = createHash('sha256').update(big).digest('hex');
    for (const split of [false, true]) {
      const { archive, payload } = await withEncoder(
        async (enc) => {
          const parts = [big.subarray(0, 1), big.subarray(1, 2_000_000), big.subarray(2_000_000)];
          await enc.addFile(file(), 'big', big.length, parts);
          await enc.addFile(file(), 'small', 2, Buffer.from('ok'));
        },
        { split },
      );
      const records = await listArchive([archive], split ? [payload] : undefined);
      const bigRec = records.find((r) => r.path === '/big');
      const smallRec = records.find((r) => r.path === '/small');
      expect(bigRec).toMatchObject({ path: '/big', size: big.length, sha256: sha });
      expect(smallRec).toMatchObject({ path: '/small', size: 2 });
    }
  });

  it('writes a prelude and payload references to reused data (metadata change detection)', async () => {
    const prelude = Buffer.from('{"exclude-patterns":"*.tmp\\n"}');
    const reused = Buffer.from('reused content');
    const { archive, payload } = await withEncoder(
      async (enc) => {
        await enc.addFile(file(), 'a-new', 3, Buffer.from('new'));
        // as PBS does: reference the reused payload at the current position, then inject the
        // known chunks into the payload stream outside the encoder and account for them
        const at = enc.payloadPosition;
        expect(at).toBe(16 + 16 + 3);
        await enc.addPayloadRef(file(), 'b-reused', reused.length, at);
        injected.push(headerOnly(PXAR_PAYLOAD, reused.length), reused);
        enc.advancePayload(16 + reused.length);
        await expect(enc.addPayloadRef(file(), 'c', 1, at)).rejects.toThrow(/smaller than current position/);
      },
      { split: true, prelude },
    );
    // splice the injected bytes where the encoder left room for them (before the tail marker)
    const full = Buffer.concat([
      payload.subarray(0, payload.length - 16),
      ...injected,
      payload.subarray(payload.length - 16),
    ]);
    const decoder = new PxarDecoder([archive], { payload: [full] });
    const seen: string[] = [];
    for await (const entry of decoder) {
      if (entry.kind.type === 'prelude') seen.push(`prelude ${entry.kind.data.toString()}`);
      if (entry.kind.type === 'file') seen.push(`${entry.path} ${(await decoder.readContents()).toString()}`);
    }
    expect(seen).toEqual([`prelude ${prelude.toString()}`, '/a-new new', '/b-reused reused content']);
    const accessor = await PxarAccessor.open(readerOf(archive), archive.length, {
      payload: { read: readerOf(full), size: full.length },
    });
    expect((await (await accessor.lookup('/b-reused'))?.read(0, 100))?.toString()).toBe('reused content');
  });
});

const injected: Buffer[] = [];
