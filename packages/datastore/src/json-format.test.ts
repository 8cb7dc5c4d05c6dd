import { describe, expect, it } from 'vitest';
import { compareKeys, toCanonicalJson, toPrettyJson } from './json-format.js';

describe('serde-compatible JSON text', () => {
  it('pretty-prints with 2 spaces, sorted keys and compact empty containers', () => {
    const value = { b: [1, { z: true, a: 'x' }], a: {}, c: [], '10': 1, '9': 2 };
    expect(toPrettyJson(value)).toBe(
      '{\n  "10": 1,\n  "9": 2,\n  "a": {},\n  "b": [\n    1,\n    {\n      "a": "x",\n      "z": true\n    }\n  ],\n  "c": []\n}',
    );
  });

  it('writes canonical JSON without whitespace and escapes strings like serde_json', () => {
    expect(toCanonicalJson({ b: 'quote" back\\ nl\n tab\t bell\u0007 del\u007f ü', a: [1, -2] })).toBe(
      '{"a":[1,-2],"b":"quote\\" back\\\\ nl\\n tab\\t bell\\u0007 del\u007f ü"}',
    );
  });

  it('refuses null anywhere in canonical JSON', () => {
    expect(() => toCanonicalJson({ a: [null] })).toThrow('got unexpected null value');
  });

  it('orders keys by UTF-8 bytes, not UTF-16 code units', () => {
    // UTF-16 puts U+1F600 (0xD83D…) before U+FF5E; its UTF-8 bytes (F0…) come after EF…
    const keys = ['\u{1F600}', '\uFF5E', 'a'].sort(compareKeys);
    expect(keys).toEqual(['a', '\uFF5E', '\u{1F600}']);
  });
});
