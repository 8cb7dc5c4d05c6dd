import { describe, it, expect } from 'vitest';
import { formatPropertyString, parsePropertyString } from './index.js';

describe('parsePropertyString', () => {
  it('parses key=value pairs', () => {
    expect(parsePropertyString('chunk-order=none,gc-atime-cutoff=1445,sync-level=file')).toEqual({
      'chunk-order': 'none',
      'gc-atime-cutoff': '1445',
      'sync-level': 'file',
    });
  });

  it('puts a keyless value under the default key, wherever it stands', () => {
    expect(parsePropertyString('s3,client=x,bucket=b', 'type')).toEqual({
      type: 's3',
      client: 'x',
      bucket: 'b',
    });
    expect(parsePropertyString('client=x,s3', 'type')).toEqual({ client: 'x', type: 's3' });
    expect(parsePropertyString('type=s3,client=x', 'type')).toEqual({ type: 's3', client: 'x' });
  });

  it('handles the quoting cases of proxmox-schema', () => {
    const text = String.raw`"value w/o key",fst=v1,sec="with = in it",third=3,x="and \" and '\\' and \n"`;
    expect(parsePropertyString(text, 'name')).toEqual({
      name: 'value w/o key',
      fst: 'v1',
      sec: 'with = in it',
      third: '3',
      x: `and " and '\\' and \n`,
    });
  });

  it('keeps "=" inside an unquoted keyed value and accepts a trailing comma', () => {
    expect(parsePropertyString('a=b=c,d=,')).toEqual({ a: 'b=c', d: '' });
    expect(parsePropertyString('')).toEqual({});
  });

  it.each([
    ['s3,client=x', undefined, 'value without a key'],
    ['a=1,a=2', undefined, "duplicate key 'a'"],
    ['type=s3,s3', 'type', "duplicate key 'type'"],
    [String.raw`key="open \\ value`, undefined, 'unterminated quoted value'],
    [String.raw`key="open \\ value\"`, undefined, 'unterminated quoted value'],
    ['key="quoted"garbage', undefined, 'garbage after quoted value'],
    [String.raw`key="bad \t escape"`, undefined, 'unsupported escape sequence'],
    ['=value', undefined, "invalid key ''"],
  ])('rejects %j', (text, defaultKey, why) => {
    expect(() => parsePropertyString(text, defaultKey)).toThrow(why);
    try {
      parsePropertyString(text, defaultKey);
    } catch (err) {
      expect((err as { code?: string }).code).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('formatPropertyString', () => {
  it('writes values in insertion order, skips undefined, stringifies numbers and booleans', () => {
    expect(
      formatPropertyString({
        'chunk-order': 'none',
        'gc-atime-safety-check': false,
        'gc-atime-cutoff': 1445,
        x: undefined,
      }),
    ).toBe('chunk-order=none,gc-atime-safety-check=false,gc-atime-cutoff=1445');
  });

  it('writes the default key without its name', () => {
    expect(formatPropertyString({ type: 's3', client: 'minio', bucket: 'b' }, 'type')).toBe(
      's3,client=minio,bucket=b',
    );
  });

  it('quotes only where the parser needs it', () => {
    expect(formatPropertyString({ message: 'disk swap = soon' })).toBe('message=disk swap = soon');
    expect(formatPropertyString({ message: 'a,b' })).toBe('message="a,b"');
    expect(formatPropertyString({ message: 'say "hi"\\\n' })).toBe(String.raw`message="say \"hi\"\\\n"`);
    expect(formatPropertyString({ type: 'a=b' }, 'type')).toBe('"a=b"');
  });

  it.each([
    [{ type: 's3', message: 'a,b "c" = d\\e\nf', empty: '' }, 'type'],
    [{ type: '', client: 'x' }, 'type'],
    [{ type: 'with=equals', other: ',' }, 'type'],
  ] as const)('round trips %j', (values, defaultKey) => {
    expect(parsePropertyString(formatPropertyString(values, defaultKey), defaultKey)).toEqual(values);
  });

  it('rejects keys that cannot be written', () => {
    expect(() => formatPropertyString({ 'a,b': 'x' })).toThrow("invalid property string key 'a,b'");
  });
});
