import { describe, expect, it } from 'vitest';
import { formatLogTime, parseLogTime } from './log-time.js';

process.env.TZ = 'Europe/Berlin';

describe('task log timestamps', () => {
  it.each([
    ['2025-07-14T14:20:02.900Z', '2025-07-14T16:20:02+02:00'],
    ['2025-01-02T03:04:05Z', '2025-01-02T04:04:05+01:00'],
    ['1970-01-01T00:00:00Z', '1970-01-01T01:00:00+01:00'],
  ])('formats %s in local time with its offset as %s', (iso, text) => {
    expect(formatLogTime(Date.parse(iso))).toBe(text);
    expect(parseLogTime(text)).toBe(Math.floor(Date.parse(iso) / 1000));
  });

  it('writes negative offsets with a minus sign', () => {
    process.env.TZ = 'America/New_York';
    try {
      expect(formatLogTime(Date.parse('2025-01-02T03:04:05Z'))).toBe('2025-01-01T22:04:05-05:00');
    } finally {
      process.env.TZ = 'Europe/Berlin';
    }
  });

  it('parses what proxmox-time parses: Z, ±HH:MM, no fractions', () => {
    expect(parseLogTime('2025-07-14T14:20:02Z')).toBe(Date.parse('2025-07-14T14:20:02Z') / 1000);
    expect(parseLogTime('2025-07-14T09:20:02-05:00')).toBe(Date.parse('2025-07-14T14:20:02Z') / 1000);
    for (const bad of [
      '2025-07-14 14:20:02Z',
      '2025-07-14T14:20:02',
      '2025-07-14T14:20:02.5Z',
      '2025-13-14T14:20:02Z',
      '2025-07-14T24:00:00Z',
      'TASK OK',
      '',
    ]) {
      expect(parseLogTime(bad)).toBeNull();
    }
  });
});
