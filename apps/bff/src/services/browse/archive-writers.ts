/**
 * Streamed downloads of several archive entries as one file: `.zip` (yazl) or `.tar.zst`
 * (tar-stream through zstd). Contents are pulled from the chunk store while the client
 * downloads; directories, files and symlinks are kept, device and FIFO nodes only in tar.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack, type Header } from 'tar-stream';
import yazl from 'yazl';
import { CompressStream } from 'zstd-napi';
import type { WalkedEntry } from './walk-entries.js';

const mtimeOf = (w: WalkedEntry) => new Date(w.file.entry.metadata.stat.mtime.secs * 1000);
const permissions = (w: WalkedEntry) => w.file.entry.metadata.stat.mode & 0o7777;

export async function writeZip(
  entries: AsyncIterable<WalkedEntry>,
  out: Writable,
  signal: AbortSignal,
): Promise<void> {
  const zip = new yazl.ZipFile();
  const done = pipeline(zip.outputStream as Readable, out, { signal });
  for await (const w of entries) {
    if (signal.aborted) break;
    const kind = w.file.entry.kind;
    const options = { mtime: mtimeOf(w), mode: permissions(w) };
    if (kind.type === 'directory') zip.addEmptyDirectory(w.name, options);
    else if (kind.type === 'file') {
      zip.addReadStreamLazy(w.name, { ...options, size: kind.size }, (cb) =>
        cb(null, Readable.from(w.file.contents())),
      );
    } else if (kind.type === 'symlink') {
      zip.addBuffer(kind.target, w.name, { ...options, mode: 0o120777 });
    }
  }
  zip.end();
  await done;
}

function tarHeader(w: WalkedEntry): (Partial<Header> & Pick<Header, 'name'>) | null {
  const kind = w.file.entry.kind;
  const stat = w.file.entry.metadata.stat;
  const base = { name: w.name, mode: permissions(w), uid: stat.uid, gid: stat.gid, mtime: mtimeOf(w) };
  switch (kind.type) {
    case 'directory':
      return { ...base, type: 'directory' };
    case 'file':
      return { ...base, type: 'file', size: kind.size };
    case 'symlink':
      return { ...base, type: 'symlink', linkname: kind.target.toString('utf8') };
    case 'hardlink':
      return { ...base, type: 'link', linkname: kind.target.toString('utf8').replace(/^\/+/, '') };
    case 'fifo':
      return { ...base, type: 'fifo' };
    case 'device':
      return {
        ...base,
        type: (stat.mode & 0o170000) === 0o060000 ? 'block-device' : 'character-device',
        devmajor: kind.device.major,
        devminor: kind.device.minor,
      };
    default:
      return null;
  }
}

export async function writeTarZst(
  entries: AsyncIterable<WalkedEntry>,
  out: Writable,
  signal: AbortSignal,
): Promise<void> {
  const pack = tarPack();
  const done = pipeline(pack, new CompressStream({ compressionLevel: 3 }), out, { signal });
  for await (const w of entries) {
    if (signal.aborted) break;
    const header = tarHeader(w);
    if (header === null) continue;
    if (header.type === 'file') {
      const sink = pack.entry(header);
      await pipeline(Readable.from(w.file.contents()), sink, { signal });
    } else {
      pack.entry(header);
    }
  }
  pack.finalize();
  await done;
}
