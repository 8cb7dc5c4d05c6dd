import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataBlob, ZERO_CHUNK_DIGEST, type Digest } from '@pbs/datastore';
import type { H2Session, Query } from '../http/h2-session.js';
import { ChunkEncoder } from './chunk-encoder.js';
import { KNOWN_CHUNK, type ChunkTicket } from './index-appender.js';
import { IndexUpload, uploadStream } from './upload-stream.js';

/** Records the protocol calls; chunk uploads finish in the order `release` lets them. */
class FakeSession {
  calls: { method: string; path: string; query?: Query; json?: unknown }[] = [];
  known = new Set<string>();
  appended: { digest: string; offset: number }[] = [];
  private held: (() => void)[] = [];
  hold = false;
  failDigest: string | undefined;

  post(path: string, query?: Query): Promise<unknown> {
    this.calls.push({ method: 'POST', path, ...(query && { query }) });
    return Promise.resolve(path.endsWith('_index') ? 7 : null);
  }

  upload(path: string, query: Query, data: Buffer): Promise<unknown> {
    this.calls.push({ method: 'POST', path, query });
    const blob = DataBlob.load(data, 'chunk');
    expect(blob.raw.length).toBe(query['encoded-size']);
    return new Promise((resolve, reject) => {
      const done = () => {
        if (query.digest === this.failDigest) return reject(new Error('server said no'));
        this.known.add(String(query.digest));
        resolve(query.digest);
      };
      if (this.hold) this.held.push(done);
      else setImmediate(done);
    });
  }

  putJson(path: string, json: { 'digest-list': string[]; 'offset-list': number[] }): Promise<unknown> {
    this.calls.push({ method: 'PUT', path, json });
    json['digest-list'].forEach((d, i) => {
      if (!this.known.has(d)) throw new Error(`no such chunk ${d}`);
      this.appended.push({ digest: d, offset: json['offset-list'][i] as number });
    });
    return Promise.resolve(null);
  }

  release(reverse = false): void {
    const all = this.held.splice(0);
    (reverse ? all.reverse() : all).forEach((f) => f());
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const chunk = (n: number, fill: number) => Buffer.alloc(n, fill);

async function* chunks(...list: Buffer[]) {
  for (const c of list) {
    await Promise.resolve();
    yield c;
  }
}

describe('index upload', () => {
  it('uploads new chunks once, appends in order, and closes with the dynamic csum', async () => {
    const s = new FakeSession();
    const a = chunk(1000, 1);
    const b = chunk(2000, 2);
    const known = new Map<Digest, ChunkTicket>();
    const stats = await uploadStream(chunks(a, b, a), {
      h2: s as unknown as H2Session,
      archive: 'x.pxar.didx',
      kind: 'dynamic',
      encoder: new ChunkEncoder(undefined),
      known,
    });
    expect(s.calls.filter((c) => c.path === '/dynamic_chunk')).toHaveLength(2);
    expect(s.appended).toEqual([
      { digest: sha(a), offset: 0 },
      { digest: sha(b), offset: 1000 },
      { digest: sha(a), offset: 3000 },
    ]);
    const csum = createHash('sha256');
    for (const [end, c] of [
      [1000, a],
      [3000, b],
      [4000, a],
    ] as const) {
      const le = Buffer.alloc(8);
      le.writeBigUInt64LE(BigInt(end));
      csum.update(le).update(Buffer.from(sha(c), 'hex'));
    }
    expect(stats).toMatchObject({
      size: 4000,
      chunkCount: 3,
      uploadedChunks: 2,
      reusedChunks: 1,
      csum: csum.digest('hex'),
    });
    expect(s.calls.at(-1)).toMatchObject({
      path: '/dynamic_close',
      query: { wid: 7, 'chunk-count': 3, size: 4000, csum: stats.csum },
    });
  });

  it('waits for a chunk upload before appending it, even when later uploads finish first', async () => {
    const s = new FakeSession();
    s.hold = true;
    const upload = await IndexUpload.open({
      h2: s as unknown as H2Session,
      archive: 'y.pxar.didx',
      kind: 'dynamic',
      encoder: new ChunkEncoder(undefined),
      known: new Map(),
    });
    const parts = [chunk(10, 1), chunk(20, 2), chunk(30, 3), chunk(10, 1)];
    for (const p of parts) await upload.add(p);
    while (s.calls.filter((c) => c.path === '/dynamic_chunk').length < 3)
      await new Promise((r) => setImmediate(r));
    expect(s.appended).toEqual([]);
    s.release(true);
    await upload.finish();
    expect(s.appended.map((e) => e.offset)).toEqual([0, 10, 30, 60]);
  });

  it('skips chunks the previous snapshot registered, recognises zero chunks, and uses the fixed csum', async () => {
    const s = new FakeSession();
    const zero = Buffer.alloc(4 * 1024 * 1024);
    const data = chunk(4 * 1024 * 1024, 9);
    const known = new Map<Digest, ChunkTicket>([[sha(data) as Digest, KNOWN_CHUNK]]);
    s.known.add(sha(data));
    const stats = await uploadStream(chunks(zero, data, zero, chunk(5, 1)), {
      h2: s as unknown as H2Session,
      archive: 'd.img.fidx',
      kind: 'fixed',
      size: 3 * 4 * 1024 * 1024 + 5,
      encoder: new ChunkEncoder(undefined),
      known,
    });
    const uploads = s.calls.filter((c) => c.path === '/fixed_chunk').map((c) => c.query?.digest);
    expect(uploads).toEqual([ZERO_CHUNK_DIGEST, sha(chunk(5, 1))]);
    expect(stats).toMatchObject({ chunkCount: 4, uploadedChunks: 2, reusedChunks: 2, zeroChunks: 2 });
    const csum = createHash('sha256');
    for (const d of [ZERO_CHUNK_DIGEST, sha(data), ZERO_CHUNK_DIGEST, sha(chunk(5, 1))])
      csum.update(Buffer.from(d, 'hex'));
    expect(stats.csum).toBe(csum.digest('hex'));
    expect(s.calls[0]).toMatchObject({ path: '/fixed_index', query: { size: 3 * 4 * 1024 * 1024 + 5 } });
  });

  it('appends known chunks by digest without their data, in order with the others', async () => {
    const s = new FakeSession();
    const reused = chunk(5000, 7);
    s.known.add(sha(reused)); // registered on the server from the previous snapshot
    const known = new Map<Digest, ChunkTicket>([[sha(reused) as Digest, KNOWN_CHUNK]]);
    const upload = await IndexUpload.open({
      h2: s as unknown as H2Session,
      archive: 'x.ppxar.didx',
      kind: 'dynamic',
      encoder: new ChunkEncoder(undefined),
      known,
    });
    const fresh = chunk(300, 9);
    await upload.add(fresh);
    await upload.addKnown(sha(reused) as Digest, reused.length);
    await expect(upload.addKnown(sha(chunk(10, 1)) as Digest, 10)).rejects.toThrow(
      /not known to this session/,
    );
    const stats = await upload.finish();
    expect(s.calls.filter((c) => c.path === '/dynamic_chunk')).toHaveLength(1);
    expect(s.appended).toEqual([
      { digest: sha(fresh), offset: 0 },
      { digest: sha(reused), offset: 300 },
    ]);
    expect(stats.size).toBe(5300);
    expect(stats.reusedBytes).toBe(5000);
  });

  it('fails with the archive named when an upload fails, and does not close', async () => {
    const s = new FakeSession();
    const bad = chunk(100, 7);
    s.failDigest = sha(bad);
    await expect(
      uploadStream(chunks(chunk(10, 1), bad, chunk(10, 2)), {
        h2: s as unknown as H2Session,
        archive: 'z.pxar.didx',
        kind: 'dynamic',
        encoder: new ChunkEncoder(undefined),
        known: new Map(),
      }),
    ).rejects.toThrow(/z\.pxar\.didx: .*server said no/);
    expect(s.calls.some((c) => c.path === '/dynamic_close')).toBe(false);
  });
});
