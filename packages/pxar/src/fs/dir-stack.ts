/**
 * The directories an extraction is inside of (pbs-client pxar/dir_stack.rs): a directory is
 * created when it is entered and selected, or lazily when something below it is restored, so a
 * partial restore creates only the directories on the way to what matched. Metadata is applied
 * when the directory is left (after its content, which would change its mtime).
 */
import fs from 'node:fs';
import type { Metadata } from '../format/types.js';

export interface StackDir {
  /** Absolute target path. */
  path: Buffer;
  /** Archive path for reports. */
  archivePath: string;
  metadata: Metadata;
  created: boolean;
}

export class DirStack {
  private readonly dirs: StackDir[] = [];

  constructor(
    root: Buffer,
    rootMetadata: Metadata,
    private readonly allowExisting: boolean,
  ) {
    // the target directory itself exists (the caller made it)
    this.dirs.push({ path: root, archivePath: '/', metadata: rootMetadata, created: true });
  }

  get depth(): number {
    return this.dirs.length;
  }

  get root(): StackDir {
    return this.dirs[0] as StackDir;
  }

  top(): StackDir {
    return this.dirs[this.dirs.length - 1] as StackDir;
  }

  push(path: Buffer, archivePath: string, metadata: Metadata, create: boolean): void {
    this.dirs.push({ path, archivePath, metadata, created: false });
    if (create) this.ensureTop(); // parents first: a partial restore may not have made them yet
  }

  pop(): StackDir | undefined {
    return this.dirs.pop();
  }

  /**
   * mkdir; an existing entry is accepted only with allowExisting and only when it is a real
   * directory (never a symlink, which could lead the restore outside the target).
   */
  private create(dir: StackDir): void {
    try {
      fs.mkdirSync(dir.path, { mode: 0o700 });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST' || !this.allowExisting) throw err;
      if (!fs.lstatSync(dir.path).isDirectory()) throw err;
    }
    dir.created = true;
  }

  /** The innermost directory, creating it and any missing parents first. */
  ensureTop(): StackDir {
    for (const dir of this.dirs) if (!dir.created) this.create(dir);
    return this.top();
  }
}
