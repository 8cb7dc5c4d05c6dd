/**
 * Tape grammar shared by the tape engine and the API (pbs-api-types tape/*): names of drives,
 * changers, pools and media labels, media status and location strings, and the tape restore
 * snapshot path `store:[ns/a/ns/b/]type/id/time`.
 */
import { z } from 'zod';
import { safeIdSchema } from './names.js';

export const TapeDeviceNameSchema = safeIdSchema('tape device name', 3, 32);
export const MediaPoolNameSchema = safeIdSchema('media pool name', 2, 32);
/** a media label text or barcode */
export const MediaLabelSchema = safeIdSchema('media label', 2, 32);

export const UUID_REGEX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const TapeUuidSchema = z.string().regex(UUID_REGEX, 'not a UUID (8-4-4-4-12 lowercase hex digits)');
/** the all-zero media set UUID: medium reserved for a pool, no data yet */
export const UNASSIGNED_MEDIA_SET_UUID = '00000000-0000-0000-0000-000000000000';

export const MEDIA_STATUSES = ['writable', 'full', 'unknown', 'damaged', 'retired'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];
export const MediaStatusSchema = z.enum(MEDIA_STATUSES);

/** 'online-<changer>', 'offline' or 'vault-<name>' */
export const MediaLocationSchema = z
  .string()
  .regex(/^(offline|online-[A-Za-z0-9_][A-Za-z0-9._-]*|vault-[A-Za-z0-9_][A-Za-z0-9._-]*)$/, {
    message: "location must be 'offline', 'online-<changer>' or 'vault-<name>'",
  });

export type MediaLocation =
  { kind: 'offline' } | { kind: 'online'; changer: string } | { kind: 'vault'; vault: string };

export function parseMediaLocation(text: string): MediaLocation | undefined {
  if (text === 'offline') return { kind: 'offline' };
  if (text.startsWith('online-')) return { kind: 'online', changer: text.slice(7) };
  if (text.startsWith('vault-')) return { kind: 'vault', vault: text.slice(6) };
  return undefined;
}

export function formatMediaLocation(loc: MediaLocation): string {
  switch (loc.kind) {
    case 'offline':
      return 'offline';
    case 'online':
      return `online-${loc.changer}`;
    case 'vault':
      return `vault-${loc.vault}`;
  }
}

/** pool allocation: 'continue' (default), 'always' or a calendar event */
export const MediaSetAllocationSchema = z.string().min(1).max(256);
/** pool retention: 'keep' (default), 'overwrite' or a time span ('30 days', '4w 2d') */
export const MediaRetentionSchema = z.string().min(1).max(256);

/** `store:[ns/a/ns/b/]type/id/time` (pbs TAPE_RESTORE_SNAPSHOT_REGEX) */
export const TAPE_RESTORE_SNAPSHOT_REGEX =
  /^[A-Za-z0-9_][A-Za-z0-9._-]*:(?:(?:ns\/[A-Za-z0-9_][A-Za-z0-9._-]*\/){1,7})?(?:vm|ct|host)\/[A-Za-z0-9_][A-Za-z0-9._-]*\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
export const TapeRestoreSnapshotSchema = z
  .string()
  .regex(TAPE_RESTORE_SNAPSHOT_REGEX, "snapshot must look like 'store:[ns/x/]vm/100/2024-01-01T00:00:00Z'");
