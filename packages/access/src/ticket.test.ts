import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import type { AuthKeys } from './auth-keys.js';
import { checkTicket, createTicket } from './ticket.js';

function keys(type: 'ed25519' | 'rsa' = 'ed25519'): AuthKeys {
  const pair =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, csrfKey: randomBytes(64) };
}

const NOW = 0x6770_0000;
const LIFETIME = 7200;

describe('tickets', () => {
  const k = keys();

  it('have PBS layout: PBS:<userid>:<8 uppercase hex>::<base64 without padding>', () => {
    const ticket = createTicket(k, 'alice@pbs', NOW);
    expect(ticket).toMatch(/^PBS:alice@pbs:67700000::[A-Za-z0-9+/]{86}$/);
    expect(checkTicket(k, ticket, NOW, LIFETIME)).toEqual({ ok: true, userid: 'alice@pbs' });
  });

  it("percent-encodes ':', controls and non-ASCII bytes of the user id", () => {
    const ticket = createTicket(k, 'jörg@pbs', 0x10);
    expect(ticket.startsWith('PBS:j%C3%B6rg@pbs:00000010::')).toBe(true);
    expect(checkTicket(k, ticket, 0x10, LIFETIME)).toEqual({ ok: true, userid: 'jörg@pbs' });
  });

  it('are valid up to the lifetime and up to 300 s from the future', () => {
    const ticket = createTicket(k, 'alice@pbs', NOW);
    expect(checkTicket(k, ticket, NOW + LIFETIME, LIFETIME).ok).toBe(true);
    expect(checkTicket(k, ticket, NOW + LIFETIME + 1, LIFETIME)).toEqual({ ok: false, reason: 'expired' });
    expect(checkTicket(k, ticket, NOW - 300, LIFETIME).ok).toBe(true);
    expect(checkTicket(k, ticket, NOW - 301, LIFETIME)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('reject any tampering', () => {
    const ticket = createTicket(k, 'alice@pbs', NOW);
    const sig = ticket.slice(ticket.indexOf('::') + 2);
    const flipped = sig.startsWith('A') ? `B${sig.slice(1)}` : `A${sig.slice(1)}`;
    for (const bad of [
      ticket.replace('alice@pbs', 'admin@pbs'),
      ticket.replace(':67700000:', ':67700001:'),
      ticket.replace(sig, flipped),
      ticket.replace('PBS:', 'PVE:'),
      ticket.replace('::', ':'),
      `${ticket}=`,
      createTicket(keys(), 'alice@pbs', NOW),
      '',
      'garbage',
    ]) {
      expect(checkTicket(k, bad, NOW, LIFETIME)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('also work with an RSA key, as older PBS installations have', () => {
    const rsa = keys('rsa');
    const ticket = createTicket(rsa, 'alice@pbs', NOW);
    expect(checkTicket(rsa, ticket, NOW, LIFETIME)).toEqual({ ok: true, userid: 'alice@pbs' });
  });
});
