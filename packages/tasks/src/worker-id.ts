/**
 * Worker-id escaping of UPIDs: systemd unit-name escaping without path mode, byte for byte as
 * proxmox-schema's `escape_id`/`unescape_id`, so ids survive the ':'-separated UPID grammar.
 */
import { AppError } from '@pbs/api-types/errors';

function isPlain(byte: number, index: number): boolean {
  if (byte === 0x2e) return index !== 0; // a leading '.' would make a hidden unit name
  return (
    byte === 0x5f ||
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a)
  );
}

/** '/' → '-', bytes outside [A-Za-z0-9_.] (and a leading '.') → \xNN, lowercase hex. */
export function escapeWorkerId(id: string): string {
  const bytes = Buffer.from(id, 'utf8');
  let out = '';
  bytes.forEach((byte, index) => {
    if (byte === 0x2f) out += '-';
    else if (isPlain(byte, index)) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  });
  return out;
}

const HEX_PAIR = /^[0-9a-fA-F]{2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Inverse of escapeWorkerId; INVALID_ARGUMENT on a broken escape or bytes that are not UTF-8. */
export function unescapeWorkerId(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) {
      const hex = s.slice(i + 2, i + 4);
      if (s[i + 1] !== 'x' || !HEX_PAIR.test(hex)) {
        throw new AppError('INVALID_ARGUMENT', `worker id '${s}': error in escape sequence`);
      }
      bytes.push(parseInt(hex, 16));
      i += 4;
    } else if (c === 0x2d) {
      bytes.push(0x2f);
      i += 1;
    } else {
      // Escaped ids are ASCII; anything else is passed on as its UTF-8 bytes, as PBS does.
      const cp = s.codePointAt(i) ?? c;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length;
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    throw new AppError('INVALID_ARGUMENT', `worker id '${s}': not valid UTF-8`);
  }
}
