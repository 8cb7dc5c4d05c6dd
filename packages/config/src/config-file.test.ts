import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { ConfigFile, digestOf, sectionConfigCodec, sectionProperty, type ConfigCodec } from './index.js';

let dir: string;
let cfgPath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbs-cfgfile-'));
  cfgPath = path.join(dir, 'etc', 'remote.cfg');
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const SAMPLE = 'remote: r1\n\thost a.example.com\n';

function remoteFile(): ConfigFile<ReturnType<typeof sectionConfigCodec.parse>> {
  return new ConfigFile({ path: cfgPath, codec: sectionConfigCodec });
}

/** A counter file: lets concurrent updates prove that none is lost. */
const counterCodec: ConfigCodec<{ n: number }> = {
  parse: (text) => ({ n: text === '' ? 0 : Number(text) }),
  format: (data) => String(data.n),
};

describe('ConfigFile.read', () => {
  it('reads a missing file as empty data with the digest of the empty string', async () => {
    const snap = await remoteFile().read();
    expect(snap.data.sections).toEqual([]);
    expect(snap.digest).toBe(digestOf(''));
    expect(snap.digest).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('returns the sha256 of the bytes on disk', async () => {
    fs.mkdirSync(path.dirname(cfgPath));
    fs.writeFileSync(cfgPath, SAMPLE);
    const snap = await remoteFile().read();
    expect(snap.digest).toBe(digestOf(SAMPLE));
    expect(sectionProperty(snap.data.sections[0] ?? { type: '', id: '', properties: [] }, 'host')).toBe(
      'a.example.com',
    );
  });

  it('propagates parse errors and leaves the corrupt file alone', async () => {
    fs.mkdirSync(path.dirname(cfgPath));
    fs.writeFileSync(cfgPath, 'remote: r1\nbroken\n');
    const file = remoteFile();
    await expect(file.read()).rejects.toMatchObject({
      code: 'CORRUPT_DATA',
      details: { file: 'remote.cfg', line: 2 },
    });
    await expect(file.update(undefined, () => undefined)).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
    expect(fs.readFileSync(cfgPath, 'utf8')).toBe('remote: r1\nbroken\n');
  });
});

describe('ConfigFile.readCached', () => {
  it('returns the same snapshot until the file changes', async () => {
    const file = remoteFile();
    const empty = await file.readCached();
    expect(await file.readCached()).toBe(empty);
    await file.update(undefined, (data) => data.set('remote', 'r2', [['host', 'b']]));
    const changed = await file.readCached();
    expect(changed).not.toBe(empty);
    expect(changed.data.get('r2')).toBeDefined();
    expect(await file.readCached()).toBe(changed);
    fs.writeFileSync(cfgPath, SAMPLE);
    expect((await file.readCached()).digest).toBe(digestOf(SAMPLE));
  });
});

describe('ConfigFile.update', () => {
  it('writes the mutated data with mode 0640 and returns the new digest and result', async () => {
    const file = remoteFile();
    const { digest } = await file.read();
    const res = await file.update(digest, (data) => {
      data.set('remote', 'r1', [['host', 'a.example.com']]);
      return 'done';
    });
    expect(res.result).toBe('done');
    expect(fs.readFileSync(cfgPath, 'utf8')).toBe(SAMPLE);
    expect(res.digest).toBe(digestOf(SAMPLE));
    expect(fs.statSync(cfgPath).mode & 0o777).toBe(0o640);
    expect(fs.existsSync(path.join(dir, 'etc', '.remote.cfg.lck'))).toBe(true);
  });

  it('refuses a stale digest with STALE_REVISION and leaves the file untouched', async () => {
    const file = remoteFile();
    const before = await file.read();
    await file.update(undefined, (data) => data.set('remote', 'r1', [['host', 'x']]));
    const written = fs.readFileSync(cfgPath, 'utf8');
    let mutated = false;
    await expect(
      file.update(before.digest, () => {
        mutated = true;
      }),
    ).rejects.toMatchObject({
      code: 'STALE_REVISION',
      message: "config 'remote.cfg' was changed since it was read; reload and try again",
    });
    expect(mutated).toBe(false);
    expect(fs.readFileSync(cfgPath, 'utf8')).toBe(written);
  });

  it('accepts the current digest in upper case', async () => {
    const file = remoteFile();
    const { digest } = await file.read();
    await file.update(digest.toUpperCase(), (data) => data.set('remote', 'r1', []));
    expect(fs.readFileSync(cfgPath, 'utf8')).toBe('remote: r1\n');
  });

  it('does not rewrite the file when the content is unchanged', async () => {
    fs.mkdirSync(path.dirname(cfgPath));
    fs.writeFileSync(cfgPath, SAMPLE, { mode: 0o644 });
    const inode = fs.statSync(cfgPath).ino;
    const res = await remoteFile().update(undefined, (data) =>
      data.set('remote', 'r1', [['host', 'a.example.com']]),
    );
    expect(res.digest).toBe(digestOf(SAMPLE));
    expect(fs.statSync(cfgPath).ino).toBe(inode);
    const missing = new ConfigFile({ path: path.join(dir, 'etc', 'none.cfg'), codec: sectionConfigCodec });
    await missing.update(undefined, () => undefined);
    expect(fs.existsSync(missing.path)).toBe(false);
  });

  it('writes nothing when mutate throws', async () => {
    fs.mkdirSync(path.dirname(cfgPath));
    fs.writeFileSync(cfgPath, SAMPLE);
    const file = remoteFile();
    await expect(
      file.update(undefined, (data) => {
        data.delete('r1');
        throw new Error('validation failed');
      }),
    ).rejects.toThrow('validation failed');
    expect(fs.readFileSync(cfgPath, 'utf8')).toBe(SAMPLE);
  });

  it('serializes concurrent updates, in one instance and across instances, without lost updates', async () => {
    const a = new ConfigFile({ path: cfgPath, codec: counterCodec });
    const b = new ConfigFile({ path: cfgPath, codec: counterCodec });
    const bump = (file: ConfigFile<{ n: number }>) =>
      file.update(undefined, async (data) => {
        const seen = data.n;
        await new Promise<void>((resolve) => setImmediate(resolve));
        data.n = seen + 1;
      });
    await Promise.all(Array.from({ length: 10 }, (_, i) => bump(i % 2 === 0 ? a : b)));
    expect((await a.read()).data.n).toBe(10);
  });

  it('lets only the first of two writers holding the same digest win', async () => {
    const file = new ConfigFile({ path: cfgPath, codec: counterCodec });
    const { digest } = await file.read();
    const results = await Promise.allSettled([
      file.update(digest, (d) => void (d.n = 1)),
      file.update(digest, (d) => void (d.n = 2)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(fs.readFileSync(cfgPath, 'utf8')).toBe('1');
  });
});
