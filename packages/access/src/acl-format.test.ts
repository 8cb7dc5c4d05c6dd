import { describe, it, expect } from 'vitest';
import { formatAclConfig, parseAclConfig } from './acl-format.js';
import { AclTree } from './acl-tree.js';

describe('acl.cfg format', () => {
  it('round trips a file in the order and grouping PBS writes', () => {
    const text = [
      'acl:1:/:admin@pbs:Admin',
      'acl:0:/datastore:audit@pbs:DatastoreAudit',
      'acl:1:/datastore:@backupers,bob@pbs:DatastoreBackup',
      'acl:0:/datastore/store1:carol@pbs!tok:NoAccess',
      'acl:1:/datastore/store1:bob@pbs,carol@pbs:DatastoreBackup,DatastoreReader',
      'acl:1:/remote/offsite:sync@pbs:RemoteSyncOperator',
      '',
    ].join('\n');
    expect(formatAclConfig(parseAclConfig(text, 'acl.cfg'))).toBe(text);
  });

  it('merges principals with the same roles and splits by propagate, sorting everything', () => {
    const tree = new AclTree();
    tree.insertUserRole(['datastore', 'b'], 'zed@pbs', 'DatastoreAudit', true);
    tree.insertUserRole(['datastore', 'b'], 'amy@pbs', 'DatastoreAudit', true);
    tree.insertUserRole(['datastore', 'b'], 'amy@pbs', 'DatastoreBackup', true);
    tree.insertUserRole(['datastore', 'b'], 'zed@pbs', 'DatastoreBackup', true);
    tree.insertUserRole(['datastore', 'b'], 'amy@pbs', 'DatastoreReader', false);
    tree.insertUserRole(['datastore', 'a'], 'amy@pbs', 'Audit', true);
    tree.insertUserRole([], 'root-ish@pbs', 'Admin', true);
    expect(formatAclConfig(tree)).toBe(
      [
        'acl:1:/:root-ish@pbs:Admin',
        'acl:1:/datastore/a:amy@pbs:Audit',
        'acl:0:/datastore/b:amy@pbs:DatastoreReader',
        'acl:1:/datastore/b:amy@pbs,zed@pbs:DatastoreAudit,DatastoreBackup',
        '',
      ].join('\n'),
    );
  });

  it('reads a multi-principal, multi-role line as every combination', () => {
    const tree = parseAclConfig('acl:1:/datastore:a@pbs, b@pbs:DatastoreAudit, DatastoreBackup\n', 'acl.cfg');
    for (const who of ['a@pbs', 'b@pbs']) {
      expect([...tree.roles(who, ['datastore'])].sort()).toEqual([
        ['DatastoreAudit', true],
        ['DatastoreBackup', true],
      ]);
    }
  });

  it('NoAccess replaces other roles of the principal on that node, and vice versa', () => {
    const tree = new AclTree();
    tree.insertUserRole(['system'], 'a@pbs', 'Audit', true);
    tree.insertUserRole(['system'], 'a@pbs', 'NoAccess', true);
    expect(formatAclConfig(tree)).toBe('acl:1:/system:a@pbs:NoAccess\n');
    tree.insertUserRole(['system'], 'a@pbs', 'Audit', false);
    expect(formatAclConfig(tree)).toBe('acl:0:/system:a@pbs:Audit\n');
  });

  it('writes an empty tree as an empty file and skips nodes left empty by deletes', () => {
    const tree = parseAclConfig('acl:1:/datastore/x:a@pbs:Audit\n', 'acl.cfg');
    tree.deleteUserRole(['datastore', 'x'], 'a@pbs', 'Audit');
    expect(formatAclConfig(tree)).toBe('');
  });

  it.each([
    ['acl:1:/:a@pbs:Admin:extra', 'wrong number of items'],
    ['acx:1:/:a@pbs:Admin', "line does not start with 'acl'"],
    ['acl:2:/:a@pbs:Admin', "expected '0' or '1'"],
    ['acl:1:/:a@pbs:Superuser', "unknown role 'Superuser'"],
    ['acl:1:/:no-realm:Admin', "invalid user or token id 'no-realm'"],
    ['acl:1:relative:a@pbs:Admin', "invalid path 'relative'"],
  ])('rejects %j with file and line', (line, why) => {
    const text = `acl:1:/:admin@pbs:Admin\n\n${line}\n`;
    expect(() => parseAclConfig(text, 'acl.cfg')).toThrow(`config file 'acl.cfg' line 3: ${why}`);
  });
});
