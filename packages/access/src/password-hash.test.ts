import { describe, it, expect } from 'vitest';
import { hashSecret, verifySecret } from './password-hash.js';

describe('scrypt password hashes', () => {
  it('are self-describing, salted and verify only the right secret', async () => {
    const a = await hashSecret('correct horse');
    const b = await hashSecret('correct horse');
    expect(a).toMatch(/^\$scrypt\$N=16384,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(await verifySecret('correct horse', a)).toBe(true);
    expect(await verifySecret('correct horse', b)).toBe(true);
    expect(await verifySecret('correct horsf', a)).toBe(false);
  });

  it('refuse foreign formats and parameters that would exhaust memory', async () => {
    const hash = await hashSecret('pw');
    expect(await verifySecret('pw', hash.replace('N=16384', 'N=1073741824'))).toBe(false);
    expect(await verifySecret('pw', hash.replace('N=16384', 'N=1000'))).toBe(false);
    expect(await verifySecret('pw', '$5$rounds=5000$salt$hash')).toBe(false);
    expect(await verifySecret('pw', '')).toBe(false);
  });

  it('treat canonically equivalent unicode passwords alike', async () => {
    const hash = await hashSecret('caf\u00e9');
    expect(await verifySecret('cafe\u0301', hash)).toBe(true);
  });
});
