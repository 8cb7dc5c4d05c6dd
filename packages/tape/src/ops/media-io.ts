/*
 * Reading and writing whole tape files: labels (files 0 and 1), and the header-plus-stream
 * shape every tape file has (content header, JSON, data, end of stream, filemark).
 */
import { AppError } from '@pbs/api-types/errors';
import type { TapeDrive } from '../drive/port.js';
import { BlockedReader, BlockedWriter } from '../format/block.js';
import { MEDIA_LABEL_MAGIC, MEDIA_SET_LABEL_MAGIC, contentKindOf } from '../format/constants.js';
import { encodeContentHeader, readContentHeader, type ContentHeader } from '../format/content-header.js';
import {
  mediaLabelJson,
  mediaSetLabelJson,
  parseMediaLabel,
  parseMediaSetLabel,
  type MediaId,
  type MediaLabel,
  type MediaSetLabel,
} from '../format/labels.js';

/** Writes a tape file holding only a content header; resolves the content UUID. */
export async function writeHeaderFile(
  drive: TapeDrive,
  magic: Buffer,
  data: unknown,
  ctime: number,
): Promise<string> {
  const writer = new BlockedWriter(await drive.writeFile());
  const { bytes, uuid } = encodeContentHeader(magic, data, { ctime });
  await writer.write(bytes);
  await writer.finish();
  return uuid;
}

/** Opens the next tape file: its reader and content header; null at end of data. */
export async function openNextFile(
  drive: TapeDrive,
  where: string,
): Promise<{ reader: BlockedReader; header: ContentHeader | null } | null> {
  const source = await drive.readNextFile();
  if (!source) return null;
  const reader = new BlockedReader(source, where);
  try {
    return { reader, header: await readContentHeader(reader, where) };
  } catch (err) {
    await reader.close();
    throw err;
  }
}

/** The labels on the loaded tape (rewinds first); null for an empty (unlabeled) tape. */
export async function readMediaId(drive: TapeDrive, what: string): Promise<MediaId | null> {
  await drive.rewind();
  const first = await openNextFile(drive, `${what} file 0`);
  if (!first) return null;
  let label: MediaLabel;
  try {
    if (!first.header || !first.header.contentMagic.equals(MEDIA_LABEL_MAGIC)) {
      throw new AppError('INVALID_ARGUMENT', `${what}: file 0 is not a media label - tape not labeled by us`);
    }
    label = parseMediaLabel(first.header.data);
  } finally {
    await first.reader.close();
  }
  const second = await openNextFile(drive, `${what} file 1`);
  if (!second) return { label };
  try {
    if (!second.header || contentKindOf(second.header.contentMagic) !== 'media-set-label') {
      throw new AppError('CORRUPT_DATA', `${what}: file 1 is not a media set label`);
    }
    return { label, media_set_label: parseMediaSetLabel(second.header.data) };
  } finally {
    await second.reader.close();
  }
}

/** Erases the tape and writes the media label as file 0. */
export async function writeMediaLabel(drive: TapeDrive, label: MediaLabel): Promise<void> {
  await drive.format();
  await drive.rewind();
  await writeHeaderFile(drive, MEDIA_LABEL_MAGIC, mediaLabelJson(label), label.ctime);
}

/** Writes the media-set label as file 1 (everything after the media label is lost). */
export async function writeMediaSetLabel(drive: TapeDrive, set: MediaSetLabel): Promise<void> {
  await drive.moveToFile(1);
  await writeHeaderFile(drive, MEDIA_SET_LABEL_MAGIC, mediaSetLabelJson(set), set.ctime);
}
