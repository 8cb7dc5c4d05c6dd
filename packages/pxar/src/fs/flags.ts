/**
 * pxar's `Flags` bits for chattr attributes and their Linux FS_*_FL values (pbs-client
 * pxar/flags.rs). An archive stores `Flags::from_chattr(attr)` in the entry's `flags`.
 */

const CHATTR_MAP: readonly [flag: number, fsFlag: number][] = [
  [0x10000, 0x00000020], // WITH_FLAG_APPEND       FS_APPEND_FL
  [0x20000, 0x00000080], // WITH_FLAG_NOATIME      FS_NOATIME_FL
  [0x40000, 0x00000004], // WITH_FLAG_COMPR        FS_COMPR_FL
  [0x80000, 0x00800000], // WITH_FLAG_NOCOW        FS_NOCOW_FL
  [0x0010_0000, 0x00000040], // WITH_FLAG_NODUMP   FS_NODUMP_FL
  [0x0020_0000, 0x00010000], // WITH_FLAG_DIRSYNC  FS_DIRSYNC_FL
  [0x0040_0000, 0x00000010], // WITH_FLAG_IMMUTABLE FS_IMMUTABLE_FL
  [0x0080_0000, 0x00000008], // WITH_FLAG_SYNC     FS_SYNC_FL
  [0x0100_0000, 0x00000400], // WITH_FLAG_NOCOMP   FS_NOCOMP_FL
  [0x0200_0000, 0x20000000], // WITH_FLAG_PROJINHERIT FS_PROJINHERIT_FL
];

/** FAT attribute flags (WITH_FLAG_HIDDEN, _SYSTEM, _ARCHIVE): stored by PBS for vfat only. */
export const FAT_FLAGS = 0x2000 | 0x4000 | 0x8000;

/** Every chattr flag pxar knows. */
export const CHATTR_FLAGS = CHATTR_MAP.reduce((acc, [flag]) => acc | flag, 0);

/**
 * The flags a restore applies: every chattr flag the archive holds. (PBS's `Flags::DEFAULT`
 * leaves NODUMP out and so drops it silently on restore; we restore what was archived.)
 */
export const DEFAULT_RESTORE_FLAGS = CHATTR_FLAGS;

/** Flags set while the file is still empty (PBS INITIAL_FS_FLAGS: noatime, compr, nocow, nocomp, projinherit). */
const INITIAL_FS_FLAGS = 0x00000080 | 0x00000004 | 0x00800000 | 0x00000400 | 0x20000000;

export function flagsFromChattr(attr: number): number {
  let flags = 0;
  for (const [flag, fs] of CHATTR_MAP) if ((attr & fs) !== 0) flags |= flag;
  return flags;
}

export function chattrFromFlags(flags: number): number {
  let attr = 0;
  for (const [flag, fs] of CHATTR_MAP) if ((flags & flag) !== 0) attr |= fs;
  return attr >>> 0;
}

export function initialChattr(flags: number): number {
  return (chattrFromFlags(flags) & INITIAL_FS_FLAGS) >>> 0;
}
