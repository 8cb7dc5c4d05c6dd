import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';

/*
 * PBS's replace_file: the data goes to a temp file next to the target, then one rename makes it
 * visible, so a crash leaves either the old file or the complete new one under the final name
 * (plus, at worst, a stray temp file that chunk sweeps and snapshot listings ignore).
 */

const TEMP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `<stem>.tmp_XXXXXX` as Rust's `with_extension("tmp_XXXXXX")` + mkostemp names it: the last
 * extension is replaced (`index.json.blob` → `index.json.tmp_…`), a leading dot is not one.
 */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const rnd = randomBytes(6);
  let suffix = '';
  for (const b of rnd) suffix += TEMP_ALPHABET[b % TEMP_ALPHABET.length];
  return path.join(dir, `${stem}.tmp_${suffix}`);
}

export interface AtomicWriteOptions {
  /** fsync the file before the rename and the directory after it */
  readonly sync: boolean;
  /** refuse (EEXIST) instead of replacing an existing target */
  readonly exclusive?: boolean;
  /** set atime and mtime (epoch seconds) before the file becomes visible */
  readonly timeSec?: number;
  readonly mode?: number;
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeTemp(temp: string, data: string | Uint8Array, opts: AtomicWriteOptions): Promise<void> {
  const handle = await fsp.open(temp, 'wx', opts.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    if (opts.timeSec !== undefined) await handle.utimes(opts.timeSec, opts.timeSec);
    if (opts.sync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `target` atomically; native errors propagate for the caller to translate. */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions,
): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await writeTemp(temp, data, opts);
    if (opts.exclusive) {
      // link(2) fails with EEXIST instead of replacing: an atomic "create if absent"
      await fsp.link(temp, target);
      await fsp.unlink(temp);
    } else {
      await fsp.rename(temp, target);
    }
  } catch (err) {
    await fsp.rm(temp, { force: true });
    throw err;
  }
  if (opts.sync) await syncDirectory(path.dirname(target));
}
