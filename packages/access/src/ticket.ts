import { sign, verify, type KeyObject } from 'node:crypto';
import type { AuthKeys } from './auth-keys.js';

/*
 * Tickets as proxmox-auth-api ticket.rs builds them:
 *   PBS:<userid, percent-encoded>:<epoch as ≥8 uppercase hex digits>::<signature, base64 no pad>
 * The signature covers everything before '::'. Percent-encoding covers ASCII controls, ':' and
 * every non-ASCII byte (the percent-encoding crate always encodes those).
 */

export const TICKET_PREFIX = 'PBS';
/** Tickets up to this many seconds from the future are accepted (clock skew between nodes). */
const MAX_FUTURE_SKEW_SEC = 300;

export function hex8(epochSec: number): string {
  return epochSec.toString(16).toUpperCase().padStart(8, '0');
}

function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const plain = byte >= 0x20 && byte < 0x7f && byte !== 0x3a;
    out += plain ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function percentDecode(text: string): string | undefined {
  const bytes = Buffer.concat(
    text
      .split(/(%[0-9A-Fa-f]{2})/)
      .map((part) =>
        /^%[0-9A-Fa-f]{2}$/.test(part) ? Buffer.from([parseInt(part.slice(1), 16)]) : Buffer.from(part),
      ),
  );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function signatureAlgorithm(key: KeyObject): string | null {
  return key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448' ? null : 'sha256';
}

function ticketData(userid: string, epochSec: number): string {
  return `${TICKET_PREFIX}:${percentEncode(userid)}:${hex8(epochSec)}`;
}

export function createTicket(keys: AuthKeys, userid: string, nowSec: number): string {
  const data = ticketData(userid, nowSec);
  const signature = sign(signatureAlgorithm(keys.privateKey), Buffer.from(data), keys.privateKey);
  return `${data}::${signature.toString('base64').replace(/=+$/, '')}`;
}

export type TicketCheck = { ok: true; userid: string } | { ok: false; reason: 'invalid' | 'expired' };

const TICKET_REGEX = /^([^:]*):([^:]*):([0-9A-Fa-f]{1,16})::([A-Za-z0-9+/]+)$/;

/**
 * Checks syntax, signature and age; whether the user may still log in is the caller's business.
 * Like PBS, the signature is checked over the re-encoded fields, not the raw text.
 */
export function checkTicket(
  keys: AuthKeys,
  ticket: string,
  nowSec: number,
  lifetimeSec: number,
): TicketCheck {
  const m = TICKET_REGEX.exec(ticket);
  if (!m || m[1] !== TICKET_PREFIX) return { ok: false, reason: 'invalid' };
  const userid = percentDecode(m[2] ?? '');
  const time = parseInt(m[3] ?? '', 16);
  if (userid === undefined) return { ok: false, reason: 'invalid' };
  const signature = Buffer.from(m[4] ?? '', 'base64');
  const data = Buffer.from(ticketData(userid, time));
  if (!verify(signatureAlgorithm(keys.publicKey), data, keys.publicKey, signature)) {
    return { ok: false, reason: 'invalid' };
  }
  const age = nowSec - time;
  if (age < -MAX_FUTURE_SKEW_SEC) return { ok: false, reason: 'invalid' };
  if (age > lifetimeSec) return { ok: false, reason: 'expired' };
  return { ok: true, userid };
}
