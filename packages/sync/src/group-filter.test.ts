import { describe, expect, it } from 'vitest';
import { compileGroupFilter, groupFilterPredicate } from './group-filter.js';

const groups = [
  { type: 'vm', id: '100' },
  { type: 'vm', id: '1000' },
  { type: 'ct', id: '200' },
  { type: 'host', id: 'web-1' },
  { type: 'host', id: 'db' },
];
const pick = (filters?: string[]) =>
  groups.filter(groupFilterPredicate(filters)).map((g) => `${g.type}/${g.id}`);

describe('group filters', () => {
  it('passes everything without filters', () => {
    expect(pick()).toHaveLength(5);
    expect(pick([])).toHaveLength(5);
  });

  it('type: compares the backup type', () => {
    expect(pick(['type:vm'])).toEqual(['vm/100', 'vm/1000']);
    expect(pick(['include:type:host'])).toEqual(['host/web-1', 'host/db']);
  });

  it('group: compares type/id exactly', () => {
    expect(pick(['group:vm/100'])).toEqual(['vm/100']);
  });

  it('regex: searches unanchored in type/id', () => {
    expect(pick(['regex:00'])).toEqual(['vm/100', 'vm/1000', 'ct/200']);
    expect(pick(['regex:^host/'])).toEqual(['host/web-1', 'host/db']);
    expect(pick(['regex:1$'])).toEqual(['host/web-1']);
  });

  it('includes are ORed; any exclude removes', () => {
    expect(pick(['type:ct', 'group:host/db'])).toEqual(['ct/200', 'host/db']);
    expect(pick(['type:vm', 'exclude:group:vm/1000'])).toEqual(['vm/100']);
    expect(pick(['exclude:type:host'])).toEqual(['vm/100', 'vm/1000', 'ct/200']);
    expect(pick(['exclude:regex:.'])).toEqual([]);
  });

  it('refuses malformed filters with the reason', () => {
    expect(() => compileGroupFilter('vm/100')).toThrow(/must start with type:, group: or regex:/);
    expect(() => compileGroupFilter('type:lxc')).toThrow(/type must be one of/);
    expect(() => compileGroupFilter('group:vm')).toThrow(/group must look like/);
    expect(() => compileGroupFilter('regex:(')).toThrow(/regex/);
    expect(() => compileGroupFilter('name:x')).toThrow(/unknown filter type 'name'/);
  });
});
