// Step 'insert': the server-side chunk insert path with 4 MiB chunks, as an upload reaches it:
// BackupWriter.insertChunk(digest, encoded blob, size) — parse, decode, digest and length
// check, CRC rewrite, ChunkStore.insertChunk (stat, temp file, rename) — then the fixed index,
// the manifest and finish (which syncs the filesystem at sync level 'filesystem').
// The client's part (SHA-256 of the plaintext, DataBlob.encode with zstd-1) happens before the
// timed loop and is reported on its own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataBlob, encodeManifestBlob, sha256Digest } from '@pbs/datastore';
import { openStore } from '../store.mjs';
import { log, mapLimit, mbps, round, timed } from '../util.mjs';

const CHUNK = 4 * 1024 * 1024;
const INDEX = 'drive-scsi0.img.fidx';

function* walkFiles(dir) {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* walkFiles(full);
    else if (e.isFile()) yield full;
  }
}

/** The host/ tree of the data set as one stream (sorted paths), cut into 4 MiB plaintexts. */
function readCompressible(hostDir, maxBytes) {
  const out = [];
  let buf = Buffer.allocUnsafe(CHUNK);
  let fill = 0;
  for (const file of walkFiles(hostDir)) {
    const data = fs.readFileSync(file);
    for (let off = 0; off < data.length;) {
      const n = Math.min(CHUNK - fill, data.length - off);
      data.copy(buf, fill, off, off + n);
      fill += n;
      off += n;
      if (fill === CHUNK) {
        out.push(buf);
        if (out.length * CHUNK >= maxBytes) return out;
        buf = Buffer.allocUnsafe(CHUNK);
        fill = 0;
      }
    }
  }
  if (fill > 0) out.push(buf.subarray(0, fill));
  return out;
}

function readRandom(bytes) {
  return Array.from({ length: Math.max(1, Math.round(bytes / CHUNK)) }, () => crypto.randomBytes(CHUNK));
}

/**
 * Client side: every plaintext gets this run's nonce in its first 20 bytes (so a rerun on the kept
 * store inserts new chunks, not duplicates), then its digest and its encoded blob.
 */
async function encodeAll(plains, nonce) {
  const r = await timed(async () =>
    plains.map((plain, i) => {
      if (plain.length >= 20) {
        plain.write(nonce, 0, 16, 'hex');
        plain.writeUInt32LE(i, 16);
      }
      const digest = sha256Digest(plain);
      const blob = DataBlob.encode(plain);
      return { digest, raw: blob.raw, size: plain.length, compressed: blob.isCompressed };
    }),
  );
  return { chunks: r.value, m: r.m };
}

/** Server CPU only, in memory: what checkUploadedChunk does (decode + digest check, CRC). */
async function serverCpu(chunks) {
  const decode = await timed(async () => {
    for (const c of chunks) DataBlob.fromRaw(c.raw, 'chunk').decode({ digest: c.digest });
  });
  const crc = await timed(async () => {
    for (const c of chunks) DataBlob.fromRaw(c.raw, 'chunk').computeCrc();
  });
  return { decode_digest_s: decode.m.wall_s, crc_s: crc.m.wall_s };
}

async function backup(ds, p, group, time, chunks) {
  const writer = await ds.beginBackup({ ns: p.insertNs, group, time, authId: 'root@pam' });
  try {
    const total = chunks.reduce((n, c) => n + c.size, 0);
    const index = await writer.createFixedIndex(INDEX, total);
    const ins = await timed(() =>
      mapLimit(chunks, p.concurrency, (c) => writer.insertChunk(c.digest, c.raw, { size: c.size })),
    );
    const duplicates = ins.value.filter((r) => r.duplicate).length;
    const fin = await timed(async () => {
      let start = 0;
      for (const c of chunks) {
        index.addChunk(start, c.size, c.digest);
        start += c.size;
      }
      const csum = (await index.close()).toString('hex');
      const manifest = encodeManifestBlob({
        backupType: group.type,
        backupId: group.id,
        backupTime: time,
        files: [{ filename: INDEX, cryptMode: 'none', size: total, csum }],
        unprotected: {},
        signature: null,
      });
      await writer.finish(manifest.raw);
    });
    return { insert: ins.m, finish: fin.m, duplicates };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

function summary(kind, chunks, run, cpu, encode) {
  const plain = chunks.reduce((n, c) => n + c.size, 0);
  const stored = chunks.reduce((n, c) => n + c.raw.length, 0);
  const loop = run.insert.wall_s;
  const withFinish = loop + run.finish.wall_s;
  return {
    kind,
    chunks: chunks.length,
    plain_bytes: plain,
    stored_bytes: stored,
    compressed_chunks: chunks.filter((c) => c.compressed).length,
    duplicates: run.duplicates,
    insert: run.insert,
    finish: run.finish,
    mb_s: mbps(plain, withFinish),
    mb_s_no_sync: mbps(plain, loop),
    client_encode_mb_s: encode ? mbps(plain, encode.wall_s) : null,
    server_cpu: cpu && {
      ...cpu,
      mb_s: mbps(plain, cpu.decode_digest_s + cpu.crc_s),
      share_of_loop: round((cpu.decode_digest_s + cpu.crc_s) / loop, 2),
    },
  };
}

export async function insert(p) {
  const ds = await openStore(p);
  const nonce = crypto.randomBytes(16).toString('hex');
  const now = Math.floor(Date.now() / 1000);
  const results = [];

  log(`insert: reading up to ${Math.round(p.compressibleBytes / 1048576)} MiB of ${p.hostDir}`);
  const text = await encodeAll(readCompressible(p.hostDir, p.compressibleBytes), nonce);
  const textCpu = await serverCpu(text.chunks);
  log(`insert: ${text.chunks.length} compressible chunks (concurrency ${p.concurrency})`);
  const textRun = await backup(ds, p, { type: 'vm', id: 'compressible' }, now, text.chunks);
  results.push(summary('compressible', text.chunks, textRun, textCpu, text.m));

  const random = await encodeAll(readRandom(p.randomBytes), nonce);
  const randomCpu = await serverCpu(random.chunks);
  log(`insert: ${random.chunks.length} random chunks`);
  const randomRun = await backup(ds, p, { type: 'vm', id: 'random' }, now, random.chunks);
  results.push(summary('random', random.chunks, randomRun, randomCpu, random.m));

  log('insert: the compressible chunks again (all duplicates)');
  const dupRun = await backup(ds, p, { type: 'vm', id: 'compressible' }, now + 1, text.chunks);
  results.push(summary('duplicate', text.chunks, dupRun, null, null));
  return { nonce, concurrency: p.concurrency, results };
}
