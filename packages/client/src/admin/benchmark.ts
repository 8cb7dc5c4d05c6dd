import { createHash } from 'node:crypto';
import { CryptConfig, DataBlob, deriveKey } from '@pbs/datastore';
import type { H2Session } from '../http/h2-session.js';

/*
 * `benchmark` (proxmox-backup-client benchmark.rs): the TLS upload speed through a benchmark
 * backup session (POST /speedtest with 4 MiB bodies for 5 s, requests pipelined), and the local
 * speeds of SHA-256, zstd level 1 compress/decompress, chunk verification and AES-256-GCM on
 * PBS's 1 MiB test pattern, each measured for about a second. `top` is PBS's reference machine
 * (AMD Ryzen 7 2700X) in bytes/second.
 */

export interface BenchmarkValue {
  /** bytes per second, undefined when not tested */
  speed?: number;
  readonly top: number;
}

export interface BenchmarkResult {
  tls: BenchmarkValue;
  sha256: BenchmarkValue;
  compress: BenchmarkValue;
  decompress: BenchmarkValue;
  verify: BenchmarkValue;
  aes256_gcm: BenchmarkValue;
}

const MB = 1_000_000;

export function emptyBenchmark(): BenchmarkResult {
  return {
    tls: { top: 1235 * MB },
    sha256: { top: 2022 * MB },
    compress: { top: 752 * MB },
    decompress: { top: 1198 * MB },
    verify: { top: 758 * MB },
    aes256_gcm: { top: 3645 * MB },
  };
}

/** PBS's pseudo random test data: the LE bytes of 0, 1, 2, … (n u32 words). */
export function testPattern(words: number): Buffer {
  const data = Buffer.allocUnsafe(words * 4);
  for (let i = 0; i < words; i++) data.writeUInt32LE(i, i * 4);
  return data;
}

function measure(seconds: number, step: () => number): number {
  const start = performance.now();
  let bytes = 0;
  do bytes += step();
  while (performance.now() - start < seconds * 1000);
  return bytes / ((performance.now() - start) / 1000);
}

export async function measureLocalSpeeds(result: BenchmarkResult, seconds = 1): Promise<void> {
  const data = testPattern(256 * 1024);
  const crypt = CryptConfig.fromKey(
    await deriveKey({ kind: 'scrypt', n: 65536, r: 8, p: 1, salt: Buffer.alloc(0) }, 'test'),
  );
  result.sha256.speed = measure(seconds, () => {
    createHash('sha256').update(data).digest();
    return data.length;
  });
  result.compress.speed = measure(seconds, () => {
    DataBlob.encode(data);
    return data.length;
  });
  const compressed = DataBlob.encode(data);
  result.decompress.speed = measure(seconds, () => compressed.decode().length);
  const digest = createHash('sha256').update(data).digest('hex');
  result.verify.speed = measure(seconds, () => {
    const plain = compressed.decode();
    if (createHash('sha256').update(plain).digest('hex') !== digest) throw new Error('verify failed');
    return plain.length;
  });
  result.aes256_gcm.speed = measure(seconds, () => {
    crypt.encrypt(data);
    return data.length;
  });
}

/** upload_speedtest: bytes/second of pipelined POST /speedtest (4 MiB bodies) for `seconds`. */
export async function uploadSpeedtest(h2: H2Session, seconds = 5, inFlight = 4): Promise<number> {
  const data = testPattern(1024 * 1024);
  const start = performance.now();
  let bytes = 0;
  const pending = new Set<Promise<unknown>>();
  while (performance.now() - start < seconds * 1000) {
    const p = h2.call('POST', '/speedtest', undefined, data, 'application/octet-stream').then(() => {
      bytes += data.length;
      pending.delete(p);
    });
    pending.add(p);
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
  return bytes / ((performance.now() - start) / 1000);
}
