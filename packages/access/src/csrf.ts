import { createHmac, timingSafeEqual } from 'node:crypto';
import { hex8 } from './ticket.js';

/*
 * CSRF prevention tokens as proxmox-auth-api access.rs: `<epoch 8 hex>:<base64 no pad of
 * HMAC-SHA3-256(csrf.key, "<epoch 8 hex>:<userid>:")>`, valid from 300 s in the future up to
 * the ticket lifetime in the past.
 */

const MAX_FUTURE_SKEW_SEC = 300;

function mac(key: Buffer, stamp: string, userid: string): Buffer {
  return createHmac('sha3-256', key).update(`${stamp}:${userid}:`).digest();
}

export function createCsrfToken(key: Buffer, userid: string, nowSec: number): string {
  const stamp = hex8(nowSec);
  return `${stamp}:${mac(key, stamp, userid).toString('base64').replace(/=+$/, '')}`;
}

export function verifyCsrfToken(
  key: Buffer,
  userid: string,
  token: string,
  nowSec: number,
  lifetimeSec: number,
): boolean {
  const m = /^([0-9A-Fa-f]{1,16}):([A-Za-z0-9+/]+)$/.exec(token);
  if (!m) return false;
  const stamp = m[1] ?? '';
  const given = Buffer.from(m[2] ?? '', 'base64');
  const time = parseInt(stamp, 16);
  const expected = mac(key, hex8(time), userid);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const age = nowSec - time;
  return age >= -MAX_FUTURE_SKEW_SEC && age <= lifetimeSec;
}
