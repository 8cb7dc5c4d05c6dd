import { createHmac, randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { createCsrfToken, verifyCsrfToken } from './csrf.js';

const KEY = randomBytes(64);
const NOW = 0x6770_0000;

describe('CSRF prevention tokens', () => {
  it('are <8 hex>:<base64 HMAC-SHA3-256 of "<hex>:<userid>:"> as proxmox-auth-api builds them', () => {
    const token = createCsrfToken(KEY, 'alice@pbs', NOW);
    const expected = createHmac('sha3-256', KEY)
      .update('67700000:alice@pbs:')
      .digest('base64')
      .replace(/=+$/, '');
    expect(token).toBe(`67700000:${expected}`);
  });

  it('verify for the same user within the ticket lifetime', () => {
    const token = createCsrfToken(KEY, 'alice@pbs', NOW);
    expect(verifyCsrfToken(KEY, 'alice@pbs', token, NOW + 7200, 7200)).toBe(true);
    expect(verifyCsrfToken(KEY, 'alice@pbs', token, NOW + 7201, 7200)).toBe(false);
    expect(verifyCsrfToken(KEY, 'alice@pbs', token, NOW - 301, 7200)).toBe(false);
  });

  it('do not verify for another user, key, timestamp or a mangled token', () => {
    const token = createCsrfToken(KEY, 'alice@pbs', NOW);
    expect(verifyCsrfToken(KEY, 'bob@pbs', token, NOW, 7200)).toBe(false);
    expect(verifyCsrfToken(randomBytes(64), 'alice@pbs', token, NOW, 7200)).toBe(false);
    expect(verifyCsrfToken(KEY, 'alice@pbs', token.replace('67700000', '67700001'), NOW, 7200)).toBe(false);
    expect(verifyCsrfToken(KEY, 'alice@pbs', `${token}:x`, NOW, 7200)).toBe(false);
    expect(verifyCsrfToken(KEY, 'alice@pbs', token.slice(0, -2), NOW, 7200)).toBe(false);
    expect(verifyCsrfToken(KEY, 'alice@pbs', '', NOW, 7200)).toBe(false);
  });
});
