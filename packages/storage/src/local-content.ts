import type { Dirent, Stats } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@pbs/api-types/errors';
import { contentPathComponents } from './content-path.js';
import { errnoOf, translating } from './fs-errors.js';
import { writeFileAtomic } from './local-atomic-write.js';
import type {
  ContentEntry,
  ContentKind,
  ContentStat,
  CreateDirOptions,
  WriteFileOptions,
} from './storage-backend.js';

/*
 * Content files of a local datastore: the metadata tree below its base directory. Every path is
 * validated (contentPathComponents) before it is joined to the base.
 */

export interface LocalContentContext {
  readonly base: string;
  readonly storage: string;
  /** fsync content writes */
  readonly sync: boolean;
  /** epoch seconds for new files, when the backend runs on an injected clock */
  readonly timeSec: () => number | undefined;
}

export function resolveContentPath(ctx: LocalContentContext, rel: string, allowRoot = false): string {
  return path.join(ctx.base, ...contentPathComponents(rel, ctx.storage, allowRoot));
}

function what(ctx: LocalContentContext, rel: string): string {
  return `storage '${ctx.storage}': file '${rel}'`;
}

function kindOf(entry: Dirent | Stats): ContentKind {
  if (entry.isFile()) return 'file';
  return entry.isDirectory() ? 'dir' : 'other';
}

async function ignoringEnoent<T>(op: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return fallback;
    throw err;
  }
}

export async function readContentFile(ctx: LocalContentContext, rel: string): Promise<Buffer> {
  const full = resolveContentPath(ctx, rel);
  return translating(what(ctx, rel), () => fsp.readFile(full));
}

export async function writeContentFile(
  ctx: LocalContentContext,
  rel: string,
  data: string | Uint8Array,
  opts: WriteFileOptions = {},
): Promise<void> {
  const full = resolveContentPath(ctx, rel);
  const timeSec = ctx.timeSec();
  await translating(what(ctx, rel), () =>
    writeFileAtomic(full, data, { sync: ctx.sync, exclusive: opts.exclusive, timeSec }),
  );
}

export async function statContentFile(
  ctx: LocalContentContext,
  rel: string,
): Promise<ContentStat | undefined> {
  const full = resolveContentPath(ctx, rel, true);
  const st = await translating(what(ctx, rel), () => ignoringEnoent(() => fsp.lstat(full), undefined));
  return st && { kind: kindOf(st), size: st.size, mtimeMs: st.mtimeMs };
}

export async function removeContentFile(ctx: LocalContentContext, rel: string): Promise<boolean> {
  const full = resolveContentPath(ctx, rel);
  return translating(what(ctx, rel), () =>
    ignoringEnoent(async () => {
      await fsp.unlink(full);
      return true;
    }, false),
  );
}

export async function renameContentFile(ctx: LocalContentContext, from: string, to: string): Promise<void> {
  const src = resolveContentPath(ctx, from);
  const dst = resolveContentPath(ctx, to);
  await translating(`storage '${ctx.storage}': rename '${from}' to '${to}'`, () => fsp.rename(src, dst));
}

export async function listContentDir(ctx: LocalContentContext, rel: string): Promise<ContentEntry[]> {
  const full = resolveContentPath(ctx, rel, true);
  const entries = await translating(`storage '${ctx.storage}': directory '${rel}'`, () =>
    fsp.readdir(full, { withFileTypes: true }),
  );
  return entries.map((e) => ({ name: e.name, kind: kindOf(e) }));
}

export async function createContentDir(
  ctx: LocalContentContext,
  rel: string,
  opts: CreateDirOptions = {},
): Promise<boolean> {
  const full = resolveContentPath(ctx, rel);
  return translating(`storage '${ctx.storage}': directory '${rel}'`, async () => {
    if (opts.parents) await fsp.mkdir(path.dirname(full), { recursive: true });
    try {
      await fsp.mkdir(full, 0o755);
      return true;
    } catch (err) {
      if (opts.exclusive || errnoOf(err) !== 'EEXIST') throw err;
      return false;
    }
  });
}

export async function removeContentDir(
  ctx: LocalContentContext,
  rel: string,
  opts: { recursive?: boolean } = {},
): Promise<boolean> {
  const full = resolveContentPath(ctx, rel);
  return translating(`storage '${ctx.storage}': directory '${rel}'`, () =>
    ignoringEnoent(async () => {
      if (!(await fsp.lstat(full)).isDirectory()) {
        throw new AppError('INVALID_ARGUMENT', `storage '${ctx.storage}': '${rel}' is not a directory`);
      }
      if (opts.recursive) await fsp.rm(full, { recursive: true });
      else await fsp.rmdir(full);
      return true;
    }, false),
  );
}
