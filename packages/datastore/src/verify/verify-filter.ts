import { parseUpid } from '@pbs/tasks';
import type { BackupManifest } from '../manifest.js';
import { verificationOf } from '../snapshot-info.js';

/*
 * verify_filter (verify.rs): with ignore-verified, a snapshot that already has a verify state is
 * skipped unless outdated-after is set and more whole days than that have passed since the
 * verify task that wrote it started (the start time comes from its UPID).
 */

export function shouldVerify(
  manifest: BackupManifest,
  opts: { ignoreVerified?: boolean; outdatedAfter?: number },
  nowSec: number,
): boolean {
  if (!opts.ignoreVerified) return true;
  const last = verificationOf(manifest);
  if (!last) return true; // never verified
  if (opts.outdatedAfter === undefined) return false;
  let started: number;
  try {
    started = parseUpid(last.upid).startTime;
  } catch {
    return true; // an unreadable state does not count as verified
  }
  const days = Math.floor((nowSec - started) / 86_400);
  return days > opts.outdatedAfter;
}
