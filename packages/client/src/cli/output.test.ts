import { describe, expect, it } from 'vitest';
import { formatJson, formatTable, parseOutputFormat, stripServerExtension } from './output.js';

describe('output formats', () => {
  it('renders tables as proxmox-router does', () => {
    const text = formatTable(
      [
        { a: 'x', b: 'long value' },
        { a: 'yy', b: '' },
      ],
      [
        { header: 'name', render: (r) => r.a },
        { header: 'v', render: (r) => r.b },
      ],
    );
    expect(text).toBe(
      [
        '┌──────┬────────────┐',
        '│ name │ v          │',
        '╞══════╪════════════╡',
        '│ x    │ long value │',
        '├──────┼────────────┤',
        '│ yy   │            │',
        '└──────┴────────────┘',
        '',
      ].join('\n'),
    );
  });

  it('prints json and rejects unknown formats', () => {
    expect(formatJson({ a: 1 }, 'json')).toBe('{"a":1}\n');
    expect(formatJson({ a: 1 }, 'json-pretty')).toBe('{\n  "a": 1\n}\n');
    expect(parseOutputFormat(undefined)).toBe('text');
    expect(() => parseOutputFormat('yaml')).toThrow(/invalid output format/);
    expect(stripServerExtension('root.pxar.didx')).toBe('root.pxar');
  });
});
