/**
 * Binary downloads are plain GETs on the PBS REST API (the ticket cookie authenticates them),
 * used as `<a href download>` links so the browser streams them to disk with its own progress
 * and cancel: nothing is buffered in the page. File paths travel base64-encoded (UTF-8), as PBS
 * expects them.
 */
import type { SnapshotRef } from '@pbs/api-types';

export type PackFormat = 'zip' | 'tar.zst';

/** base64 of the UTF-8 bytes of a string (btoa alone only takes Latin-1). */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function snapshotQuery(ns: string, snapshot: SnapshotRef): string {
  const parts = [
    `backup-type=${encodeURIComponent(snapshot.type)}`,
    `backup-id=${encodeURIComponent(snapshot.id)}`,
    `backup-time=${snapshot.time}`,
  ];
  if (ns !== '') parts.unshift(`ns=${encodeURIComponent(ns)}`);
  return parts.join('&');
}

function base(store: string): string {
  return `/api2/json/admin/datastore/${encodeURIComponent(store)}`;
}

/**
 * Entries of one pxar archive ('<archive>/<path>'): one regular file comes as itself, a folder
 * or several paths (the restore basket) as one .zip or .tar.zst, streamed.
 */
export function pxarDownloadUrl(
  store: string,
  ns: string,
  snapshot: SnapshotRef,
  paths: readonly string[],
  format: PackFormat = 'zip',
): string {
  const files = paths.map((p) => `filepath=${encodeURIComponent(base64Utf8(`/${p}`))}`);
  const tar = format === 'tar.zst' ? '&tar=1' : '';
  return `${base(store)}/pxar-file-download?${snapshotQuery(ns, snapshot)}&${files.join('&')}${tar}`;
}

/** A whole archive decoded: a blob's content, an image reassembled, a pxar stream. */
export function decodedDownloadUrl(
  store: string,
  ns: string,
  snapshot: SnapshotRef,
  fileName: string,
): string {
  return `${base(store)}/download-decoded?${snapshotQuery(ns, snapshot)}&file-name=${encodeURIComponent(fileName)}`;
}

/** An archive file as stored (index or blob, encrypted ones too). */
export function rawDownloadUrl(store: string, ns: string, snapshot: SnapshotRef, fileName: string): string {
  return `${base(store)}/download?${snapshotQuery(ns, snapshot)}&file-name=${encodeURIComponent(fileName)}`;
}
