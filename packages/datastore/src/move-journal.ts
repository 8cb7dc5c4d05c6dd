import fsp from 'node:fs/promises';
import path from 'node:path';
import { withFileLock } from '@pbs/config';

/*
 * The move journal (move_journal.rs): GC phase 1 lists the index files, then walks the
 * hierarchy; a group moved between those steps can be missed at both its old and its new
 * place. So before a snapshot directory is renamed, the new paths of its index files are
 * appended here (under a brief exclusive flock on the journal itself), and GC marks every
 * recorded path at the end of phase 1, then truncates the journal. Entries of a move that died
 * before its rename name files that do not exist and are skipped. The journal lives in the
 * lock directory (run state, nothing to persist across reboots). Difference to PBS: entries are
 * paths relative to the datastore (what the storage port addresses), not absolute paths.
 */

// PBS calls it 'move-journal', which a namespace lock directory of that name would collide with
const JOURNAL_FILE = '.move-journal';
const LOCK_TIMEOUT_MS = 10_000;

function journalPath(lockDir: string): string {
  return path.join(lockDir, JOURNAL_FILE);
}

/** Records the post-rename index paths; the rename must happen after this returns. */
export async function appendMovedIndices(lockDir: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  for (const p of paths) {
    if (p.includes('\n')) throw new Error(`move-journal: path contains a newline: ${JSON.stringify(p)}`);
  }
  const file = journalPath(lockDir);
  await withFileLock(file, { exclusive: true, timeoutMs: LOCK_TIMEOUT_MS }, () =>
    fsp.appendFile(file, paths.map((p) => `${p}\n`).join('')),
  );
}

/**
 * Calls `fn` for every recorded path, then truncates the journal, all under its lock. On an
 * error the journal stays as it is, so the next GC retries the entries.
 */
export async function drainMoveJournal(
  lockDir: string,
  fn: (relPath: string) => Promise<void>,
): Promise<void> {
  const file = journalPath(lockDir);
  await withFileLock(file, { exclusive: true, timeoutMs: LOCK_TIMEOUT_MS }, async () => {
    const text = await fsp.readFile(file, 'utf8');
    for (const line of text.split('\n')) {
      const entry = line.trim();
      if (entry !== '') await fn(entry);
    }
    await fsp.truncate(file, 0);
  });
}
