/**
 * @pbs/tape: tape backup as Proxmox Backup Server does it — drives and changers, media pools,
 * labels and media sets, the media catalog and inventory, tape backup and restore.
 *
 * Concept: a tape is a sequence of files, each a stream of 256 KiB blocks (the block layer,
 * pbs-formats §12.1) ended by a filemark. File 0 is the media label, file 1 the media-set label;
 * after them come chunk archives, snapshot archives (pxar of a snapshot's files) and catalog
 * archives, each opened by a media content header with PBS's magic numbers (§12.2). A media
 * pool groups media into media sets; a tape backup appends to the pool's current set and
 * continues on the next writable tape at the logical end of media. What is on each medium is
 * recorded in its media catalog (`<state>/<uuid>.log`), the media and their state in the
 * inventory (`<state>/inventory.json`, §12.4); both can be rebuilt from the tapes.
 *
 * Ports: `TapeDrive` (raw blocks, filemarks, positioning, format, eject, status) and `Changer`
 * (slots, drives, import/export slots, load/unload/transfer, barcodes). Everything above the
 * block layer is device independent. Implemented here: the virtual drive of PBS (files in a
 * directory, §12.3) and a virtual changer over the same directory. Extensions of PBS's virtual
 * drive, all below the block layer: a configurable capacity per tape; a changer with a fixed
 * number of slots, import/export slots (`changer-status.json`) and several drives
 * (`drive-status-<n>.json` for n > 0). Drive encryption is not emulated.
 *
 * A real LTO drive would plug in as another `TapeDrive`: open `/dev/sg*` (SCSI generic) and
 * issue the SSC commands PBS's sg_tape.rs sends — WRITE(6) of one 256 KiB variable block per
 * `writeBlock` (sense "early warning"/EOM → LEOM true; VOLUME OVERFLOW → TapeFullError), WRITE
 * FILEMARKS(6), READ(6) (a filemark sense → `null`), REWIND, LOCATE(16)/SPACE to file N,
 * SPACE to end of data, ERASE, LOAD/UNLOAD, and READ POSITION for the file number; SECURITY
 * PROTOCOL OUT would set the per-media-set key. A SCSI changer implements `Changer` with MOVE
 * MEDIUM and READ ELEMENT STATUS (barcodes, import/export slots). The N-API addon for sg ioctls
 * is not built.
 *
 * Invariants:
 * - Magic numbers, header layouts, catalog records and JSON field names are PBS's facts.
 * - A file is recorded in a medium's catalog only once it was completely written; chunk entries
 *   cut at LEOM and INCOMPLETE snapshot archives are written again on the next tape.
 * - Within one media set a chunk or a snapshot is written once.
 * - Every medium loaded for writing or restoring is identified by reading its label: a wrong
 *   tape is an INVALID_ARGUMENT error naming both labels, never a silent overwrite.
 * - Operations take a TapeContext (signal, log, warn, progress, clock); no wall clock, no env.
 * - Tape backup refuses S3 datastores (PBS 4.0.5); restore may write into one.
 * - Encrypted media sets: labels stay in the clear; data files use the drive key `pool key XOR
 *   media-set UUID`; without the key every read is refused with a message naming the key.
 *
 * Locking: the drive's flock (`.drive.lck`, 10 s, as PBS) while a drive is open; the changer's
 * `.changer.lck` per changer operation; `<state>/.inventory.lck` around every inventory update
 * (reload, change, atomic replace); `<state>/.pool-<name>.lck` for the whole of a tape backup
 * (one writer per pool, BUSY otherwise). Catalogs are replaced atomically after each archive.
 * Not done here (PBS has it): a separate lock per media set, so restores of a set do not wait.
 */
export * from './format/constants.js';
export * from './format/block.js';
export * from './format/content-header.js';
export * from './format/labels.js';
export * from './format/archives.js';
export * from './drive/port.js';
export * from './drive/virtual-tape.js';
export * from './drive/virtual-changer.js';
export * from './state/media-catalog.js';
export * from './state/inventory.js';
export * from './state/pool-policy.js';
export * from './state/media-pool.js';
export * from './state/encryption-keys.js';
export * from './ops/context.js';
export * from './ops/media-io.js';
export * from './ops/pool-writer.js';
export * from './ops/backup.js';
export * from './ops/restore.js';
export * from './ops/catalog-restore.js';
export * from './ops/media-ops.js';
