import { describe, expect, it } from 'vitest';
import { parseTaskList, parseTaskListLine, renderTaskListLine } from './task-list-file.js';
import { errorStatusText, parseStatusText } from './task-state.js';

const UPID = 'UPID:elsa:00004F37:0039E469:00000000:5CA78B83:garbage_collection:store1:root@pam:';

describe('active and archive lines', () => {
  it.each([
    ['OK', { state: 'ok', status: 'OK', warnings: 0 }],
    ['WARNINGS: 3', { state: 'warning', status: 'WARNINGS: 3', warnings: 3 }],
    ['unknown', { state: 'unknown', status: 'unknown', warnings: 0 }],
    ['chunk store full', { state: 'error', status: 'chunk store full', warnings: 0 }],
    ['ERROR: chunk store full', { state: 'error', status: 'chunk store full', warnings: 0 }],
  ])('parses the archive status %s', (status, end) => {
    const entry = parseTaskListLine(`${UPID} 5CA78C00 ${status}`);
    expect(entry?.upidStr).toBe(UPID);
    expect(entry?.end).toEqual({ ...end, endtime: 0x5ca78c00 });
    expect(entry?.upid.workerId).toBe('store1');
  });

  it('renders archive lines as PBS writes them', () => {
    const end = { state: 'warning' as const, status: 'WARNINGS: 2', endtime: 0x5ca78c00, warnings: 2 };
    expect(renderTaskListLine({ upidStr: UPID, end })).toBe(`${UPID} 5CA78C00 WARNINGS: 2\n`);
    expect(renderTaskListLine({ upidStr: UPID })).toBe(`${UPID}\n`);
  });

  it('keeps an error that reads like another state an error', () => {
    const end = { state: 'error' as const, status: 'OK', endtime: 1, warnings: 0 };
    const line = renderTaskListLine({ upidStr: UPID, end });
    expect(line).toBe(`${UPID} 00000001 ERROR: OK\n`);
    expect(parseTaskListLine(line.trimEnd())?.end).toEqual(end);
  });

  it('skips lines PBS would skip', () => {
    const text = [
      UPID,
      `${UPID} 5CA78C00`,
      `${UPID} zz OK`,
      `${UPID} 5CA78C00 `,
      'UPID:broken',
      `${UPID} 5CA78C00 WARNINGS: x`,
      '',
    ].join('\n');
    expect(parseTaskList(text).map((e) => e.end?.status ?? 'running')).toEqual(['running']);
  });

  it('needs a non-empty status and turns errors into one line', () => {
    expect(parseStatusText('', 0)).toBeNull();
    expect(errorStatusText(new Error('first\n  second\r\nthird'))).toBe('first second third');
    expect(errorStatusText(new Error(''))).toBe('unknown error');
    expect(errorStatusText('plain')).toBe('plain');
  });
});
