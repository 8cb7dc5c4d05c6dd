import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readVector, vectorPath } from './testing/vectors.js';

describe('testdata/vectors', () => {
  it('is a byte-exact copy of the reference vectors (SHA256SUMS)', () => {
    const lines = readVector('SHA256SUMS').toString('utf8').trim().split('\n');
    const present = lines
      .map((line) => /^([0-9a-f]{64}) [ *](.+)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null && fs.existsSync(vectorPath(m[2] ?? '')));
    expect(present.length).toBeGreaterThanOrEqual(70);
    for (const [, sum, file] of present) {
      expect([
        file,
        createHash('sha256')
          .update(readVector(file ?? ''))
          .digest('hex'),
      ]).toEqual([file, sum]);
    }
  });
});
