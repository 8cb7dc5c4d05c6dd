/**
 * The directories the sequential decoder is inside of, with what it saw of their children, so
 * each goodbye table can be checked when its directory ends (see goodbye-check.ts).
 */
import { hashFilename } from '../format/siphash.js';
import { DirChildren, verifyGoodbye } from './goodbye-check.js';

export interface OpenDir {
  rawPath: Buffer;
  fileName: Buffer;
  /** Offset of the directory's ENTRY (0 for the root, as pxar's encoder records it). */
  entryOffset: number;
  /** Offset of its FILENAME (−1 for the root). */
  filenameOffset: number;
  children: DirChildren;
}

export class DirTracker {
  private readonly stack: OpenDir[] = [];

  constructor(
    private readonly name: string | undefined,
    private readonly verify: boolean,
  ) {}

  get depth(): number {
    return this.stack.length;
  }

  top(): OpenDir {
    return this.stack[this.stack.length - 1] as OpenDir;
  }

  enter(rawPath: Buffer, fileName: Buffer, entryOffset: number, filenameOffset: number): void {
    this.stack.push({ rawPath, fileName, entryOffset, filenameOffset, children: new DirChildren() });
  }

  /** Records a finished child of the current directory: its FILENAME offset and goodbye size(s). */
  child(fileName: Buffer, filenameOffset: number, size: number, altSize = -1): void {
    if (this.verify) this.top().children.add(hashFilename(fileName), filenameOffset, size, altSize);
  }

  /**
   * Leaves the current directory after its goodbye table (`table` = the item's content at
   * `goodbyeOffset`; `end` = offset after it) and records it in its parent.
   */
  leave(table: Buffer, goodbyeOffset: number, end: number): OpenDir {
    const dir = this.stack.pop() as OpenDir;
    if (this.verify) {
      verifyGoodbye(
        this.name,
        table,
        goodbyeOffset,
        dir.entryOffset,
        dir.children,
        dir.rawPath.toString('utf8'),
      );
    }
    if (this.stack.length > 0) this.child(dir.fileName, dir.filenameOffset, end - dir.filenameOffset);
    return dir;
  }
}
