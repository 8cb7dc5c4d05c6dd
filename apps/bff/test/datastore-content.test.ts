/**
 * Datastore content over tRPC and the PBS REST paths under /admin/datastore/{store}: namespaces,
 * groups, snapshots (paging, search, order), notes, protection, forget, owner and moves, with
 * PBS's parameter names and kebab-case replies.
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './harness.js';
import { createTestDatastore, startServer } from './fixtures.js';
import {
  adminActor,
  data,
  openStore,
  seed,
  taskLog,
  trpcFailure,
  utc,
  waitTask,
  type Actor,
} from './datastore-helpers.js';

const store = 'content';
const DAY = 86_400;
const t0 = utc(2024, 1, 1);
const vm100 = { type: 'vm', id: '100' } as const;
const alpha = { type: 'host', id: 'alpha' } as const;
const ct200 = { type: 'ct', id: '200' } as const;
const base = `/admin/datastore/${store}`;

describe('datastore content', () => {
  let server: TestServer & { dataDir: string };
  let admin: Actor;
  let storeDir = '';

  beforeAll(async () => {
    server = await startServer({ http: true });
    admin = await adminActor(server);
    await server.services.access.createUser({ userid: 'other@pbs', password: 'other-password' });
    storeDir = await createTestDatastore(server, store);
    const ds = await openStore(server, store);
    const owner = 'admin@pbs';
    await seed(ds, [
      { ...vm100, time: t0, authId: owner },
      { ...vm100, time: t0 + DAY, authId: owner },
      { ...vm100, time: t0 + 2 * DAY, authId: owner },
      { ...alpha, time: t0, authId: owner },
      { ...alpha, time: t0 + 3600, authId: owner },
      { ...ct200, time: t0, authId: owner },
    ]);
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    await fs.rm(storeDir, { recursive: true, force: true });
  });

  it('creates, lists (recursively, to a depth), removes and moves namespaces', async () => {
    expect(await admin.trpc.namespace.create.mutate({ store, name: 'a' })).toEqual({ ns: 'a' });
    expect(data(await admin.rest.post(`${base}/namespace`, { name: 'b', parent: 'a' }))).toBe('a/b');
    await admin.trpc.namespace.create.mutate({ store, name: 'c' });
    await admin.trpc.namespace.create.mutate({ store, name: 'empty' });

    const duplicate = await trpcFailure(admin.trpc.namespace.create.mutate({ store, name: 'a' }));
    expect(duplicate).toMatchObject({ code: 'CONFLICT', app: 'ALREADY_EXISTS' });
    expect((await admin.rest.post(`${base}/namespace`, { name: 'b', parent: 'a' })).status).toBe(409);
    const orphan = await trpcFailure(
      admin.trpc.namespace.create.mutate({ store, parent: 'nope', name: 'x' }),
    );
    expect(orphan.app).toBe('NOT_FOUND');
    const badName = await trpcFailure(admin.trpc.namespace.create.mutate({ store, name: 'a b' }));
    expect(badName.fieldErrors?.name).toBeDefined();
    expect((await admin.rest.post(`${base}/namespace`, { name: '../x' })).status).toBe(400);

    const names = (items: Array<{ ns: string }>) => items.map((i) => i.ns).sort();
    expect(names(await admin.trpc.namespace.list.query({ store }))).toEqual(['', 'a', 'a/b', 'c', 'empty']);
    expect(names(await admin.trpc.namespace.list.query({ store, maxDepth: 1 }))).toEqual([
      '',
      'a',
      'c',
      'empty',
    ]);
    expect(names(await admin.trpc.namespace.list.query({ store, parent: 'a' }))).toEqual(['a', 'a/b']);
    const rest = data<Array<{ ns: string }>>(
      await admin.rest.get(`${base}/namespace`, { parent: 'a', 'max-depth': 0 }),
    );
    expect(rest).toEqual([{ ns: 'a' }]);
    const missing = await trpcFailure(admin.trpc.namespace.list.query({ store, parent: 'nope' }));
    expect(missing.app).toBe('NOT_FOUND');

    const ds = await openStore(server, store);
    await seed(ds, [
      { ns: 'a/b', type: 'host', id: 'deep', time: t0, authId: 'admin@pbs' },
      { ns: 'c', type: 'host', id: 'mv', time: t0, authId: 'admin@pbs' },
    ]);

    // An empty namespace goes; one with groups stays unless its groups may go too.
    expect(await admin.trpc.namespace.remove.mutate({ store, ns: 'empty' })).toMatchObject({
      removedAll: true,
    });
    expect(await admin.trpc.namespace.remove.mutate({ store, ns: 'a' })).toMatchObject({ removedAll: false });
    expect(names(await admin.trpc.namespace.list.query({ store, parent: 'a' }))).toEqual(['a', 'a/b']);
    // PBS answers a partial removal over REST with an error (error-on-protected defaults to true).
    const partial = await admin.rest.del(`${base}/namespace`, { ns: 'a' });
    expect(partial.status).toBe(400);
    expect(partial.text).toContain('delete-groups');
    const removed = await admin.rest.del(`${base}/namespace`, { ns: 'a', 'delete-groups': 1 });
    expect(data(removed)).toEqual({ 'protected-snapshots': 0, 'removed-groups': 1, 'removed-snapshots': 1 });
    expect(names(await admin.trpc.namespace.list.query({ store }))).toEqual(['', 'c']);
    const root = await trpcFailure(admin.trpc.namespace.remove.mutate({ store, ns: '' }));
    expect(root.code).toBe('BAD_REQUEST');

    const moved = await admin.trpc.namespace.move.mutate({ store, ns: 'c', targetNs: 'moved' });
    expect(moved.taskId).toMatch(
      /^UPID:[^:]+:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:[0-9A-F]{8}:move-namespace:/,
    );
    expect((await waitTask(server.services, moved.taskId)).status).toBe('OK');
    expect(names(await admin.trpc.namespace.list.query({ store }))).toEqual(['', 'moved']);
    expect((await admin.trpc.group.list.query({ store, ns: 'moved' })).map((g) => g.id)).toEqual(['mv']);
    const clash = await trpcFailure(admin.trpc.namespace.move.mutate({ store, ns: 'nope', targetNs: 'x' }));
    expect(clash.app).toBe('NOT_FOUND');
  });

  it('lists groups over tRPC and GET /groups (PBS field names)', async () => {
    const groups = await admin.trpc.group.list.query({ store });
    expect(groups.map((g) => `${g.type}/${g.id}`).sort()).toEqual(['ct/200', 'host/alpha', 'vm/100']);
    const vm = groups.find((g) => g.id === '100');
    expect(vm).toMatchObject({ type: 'vm', backupCount: 3, lastBackup: t0 + 2 * DAY, owner: 'admin@pbs' });
    expect(vm?.files).toContain('root.pxar.didx');

    const rest = data<Array<Record<string, unknown>>>(await admin.rest.get(`${base}/groups`));
    expect(rest.find((g) => g['backup-id'] === '100')).toEqual({
      'backup-type': 'vm',
      'backup-id': '100',
      'last-backup': t0 + 2 * DAY,
      'backup-count': 3,
      files: vm?.files,
      owner: 'admin@pbs',
    });
    const inNs = data<Array<Record<string, unknown>>>(
      await admin.rest.get(`${base}/groups`, { ns: 'moved' }),
    );
    expect(inNs.map((g) => g['backup-id'])).toEqual(['mv']);
    expect((await admin.rest.get(`${base}/groups`, { ns: 'nope' })).status).toBe(404);
    expect((await admin.rest.get('/admin/datastore/nosuch/groups')).status).toBe(404);
  });

  it('lists snapshots newest first with paging, search and group filter; GET /snapshots in PBS shape', async () => {
    const all = await admin.trpc.snapshot.list.query({ store });
    expect(all.total).toBe(6);
    expect(all.items.map((s) => s.time)).toEqual([...all.items.map((s) => s.time)].sort((a, b) => b - a));
    expect(all.items[0]).toMatchObject({
      ...vm100,
      time: t0 + 2 * DAY,
      owner: 'admin@pbs',
      protected: false,
    });
    // Equal times are ordered by type, then id.
    expect(all.items.slice(3).map((s) => `${s.type}/${s.id}`)).toEqual(['ct/200', 'host/alpha', 'vm/100']);

    const page = await admin.trpc.snapshot.list.query({ store, start: 1, limit: 2 });
    expect(page.total).toBe(6);
    expect(page.items).toEqual(all.items.slice(1, 3));
    const beyond = await admin.trpc.snapshot.list.query({ store, start: 10, limit: 2 });
    expect(beyond).toEqual({ total: 6, items: [] });

    const byId = await admin.trpc.snapshot.list.query({ store, search: 'ALPHA' });
    expect(byId.items.map((s) => s.time)).toEqual([t0 + 3600, t0]);
    const byDate = await admin.trpc.snapshot.list.query({ store, search: '2024-01-02' });
    expect(byDate.items.map((s) => `${s.type}/${s.id}/${s.time}`)).toEqual([`vm/100/${t0 + DAY}`]);
    const byGroup = await admin.trpc.snapshot.list.query({ store, group: vm100, limit: 1 });
    expect(byGroup.total).toBe(3);
    expect(byGroup.items[0]?.time).toBe(t0 + 2 * DAY);
    expect(byGroup.items[0]?.files.map((f) => f.filename)).toContain('index.json.blob');

    const rest = data<Array<Record<string, unknown>>>(
      await admin.rest.get(`${base}/snapshots`, { 'backup-type': 'vm', 'backup-id': '100' }),
    );
    expect(rest).toHaveLength(3);
    const first = rest.find((s) => s['backup-time'] === t0);
    expect(first).toMatchObject({
      'backup-type': 'vm',
      'backup-id': '100',
      'backup-time': t0,
      owner: 'admin@pbs',
      protected: false,
    });
    expect(first?.size).toBeGreaterThan(0);
    const files = first?.files as Array<Record<string, unknown>>;
    const pxar = files.find((f) => f.filename === 'root.pxar.didx');
    expect(Object.keys(pxar ?? {}).sort()).toEqual(['crypt-mode', 'filename', 'size']);
    expect(pxar).toMatchObject({ filename: 'root.pxar.didx', 'crypt-mode': 'none' });
    expect(pxar?.size).toBeGreaterThan(0);
    expect(Object.keys(first ?? {}).some((k) => /[A-Z]/.test(k))).toBe(false);
    const everything = data<unknown[]>(await admin.rest.get(`${base}/snapshots`));
    expect(everything).toHaveLength(6);
  });

  it('reads and writes group and snapshot notes; the first line becomes the comment', async () => {
    await admin.trpc.group.setNotes.mutate({ store, group: vm100, notes: 'production vm\nsecond line' });
    expect(await admin.trpc.group.notes.query({ store, group: vm100 })).toEqual({
      notes: 'production vm\nsecond line',
    });
    expect((await admin.trpc.group.list.query({ store })).find((g) => g.id === '100')?.comment).toBe(
      'production vm',
    );
    const groupQuery = { 'backup-type': 'host', 'backup-id': 'alpha' };
    expect(
      data(await admin.rest.put(`${base}/group-notes`, { ...groupQuery, notes: 'alpha notes' })),
    ).toBeNull();
    expect(data(await admin.rest.get(`${base}/group-notes`, groupQuery))).toBe('alpha notes');

    const snapshot = { ...vm100, time: t0 };
    await admin.trpc.snapshot.setNotes.mutate({ store, snapshot, notes: 'before upgrade\ndetails' });
    expect(await admin.trpc.snapshot.notes.query({ store, snapshot })).toEqual({
      notes: 'before upgrade\ndetails',
    });
    const listed = await admin.trpc.snapshot.list.query({ store, group: vm100 });
    expect(listed.items.find((s) => s.time === t0)?.comment).toBe('before upgrade');
    const snapQuery = { 'backup-type': 'vm', 'backup-id': '100', 'backup-time': t0 + DAY };
    expect(data(await admin.rest.put(`${base}/notes`, { ...snapQuery, notes: 'rest notes' }))).toBeNull();
    expect(data(await admin.rest.get(`${base}/notes`, snapQuery))).toBe('rest notes');

    const missing = await admin.rest.get(`${base}/notes`, { ...snapQuery, 'backup-time': t0 + 5 });
    expect(missing.status).toBe(404);
    const noGroup = await trpcFailure(
      admin.trpc.group.notes.query({ store, group: { type: 'vm', id: '999' } }),
    );
    expect(noGroup.app).toBe('NOT_FOUND');
  });

  it('protects snapshots: a protected snapshot cannot be forgotten until unprotected', async () => {
    const snapshot = { ...alpha, time: t0 };
    const query = { 'backup-type': 'host', 'backup-id': 'alpha', 'backup-time': t0 };
    await admin.trpc.snapshot.setProtected.mutate({ store, snapshot, protected: true });
    expect(data(await admin.rest.get(`${base}/protected`, query))).toBe(true);
    const listed = await admin.trpc.snapshot.list.query({ store, group: alpha });
    expect(listed.items.find((s) => s.time === t0)?.protected).toBe(true);

    const refused = await trpcFailure(admin.trpc.snapshot.remove.mutate({ store, snapshot }));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', app: 'INVALID_ARGUMENT' });
    expect(refused.message).toContain('protected');
    const restRefused = await admin.rest.del(`${base}/snapshots`, query);
    expect(restRefused.status).toBe(400);

    expect(data(await admin.rest.put(`${base}/protected`, { ...query, protected: 0 }))).toBeNull();
    expect(data(await admin.rest.get(`${base}/protected`, query))).toBe(false);
    expect(data(await admin.rest.del(`${base}/snapshots`, query))).toBeNull();
    const after = await admin.trpc.snapshot.list.query({ store, group: alpha });
    expect(after.items.map((s) => s.time)).toEqual([t0 + 3600]);
    // forget over tRPC
    await admin.trpc.snapshot.remove.mutate({ store, snapshot: { ...alpha, time: t0 + 3600 } });
    expect((await admin.trpc.group.list.query({ store })).map((g) => g.id)).not.toContain('alpha');
    const gone = await trpcFailure(admin.trpc.snapshot.remove.mutate({ store, snapshot }));
    expect(gone.app).toBe('NOT_FOUND');
  });

  it('changes the owner of a group; unknown owners are refused', async () => {
    await admin.trpc.group.changeOwner.mutate({ store, group: ct200, newOwner: 'other@pbs' });
    expect((await admin.trpc.group.list.query({ store })).find((g) => g.id === '200')?.owner).toBe(
      'other@pbs',
    );
    const unknown = await trpcFailure(
      admin.trpc.group.changeOwner.mutate({ store, group: ct200, newOwner: 'ghost@pbs' }),
    );
    expect(unknown).toMatchObject({ code: 'BAD_REQUEST', details: { field: 'newOwner' } });
    const bad = await trpcFailure(
      admin.trpc.group.changeOwner.mutate({ store, group: ct200, newOwner: 'no realm' }),
    );
    expect(bad.fieldErrors?.newOwner).toBeDefined();

    const groupQuery = { 'backup-type': 'ct', 'backup-id': '200' };
    const restUnknown = await admin.rest.post(`${base}/change-owner`, {
      ...groupQuery,
      'new-owner': 'ghost@pbs',
    });
    expect(restUnknown.status).toBe(400);
    expect(
      data(await admin.rest.post(`${base}/change-owner`, { ...groupQuery, 'new-owner': 'admin@pbs' })),
    ).toBeNull();
    const groups = data<Array<Record<string, unknown>>>(await admin.rest.get(`${base}/groups`));
    expect(groups.find((g) => g['backup-id'] === '200')?.owner).toBe('admin@pbs');
  });

  it('moves groups between namespaces over tRPC and POST /move-group', async () => {
    const ds = await openStore(server, store);
    await seed(ds, [{ type: 'host', id: 'beta', time: t0, authId: 'admin@pbs' }]);
    const byTrpc = await admin.trpc.group.move.mutate({ store, group: ct200, targetNs: 'moved' });
    expect((await waitTask(server.services, byTrpc.taskId)).status).toBe('OK');
    const byRest = data<string>(
      await admin.rest.post(`${base}/move-group`, {
        'backup-type': 'host',
        'backup-id': 'beta',
        'target-ns': 'moved',
      }),
    );
    expect(byRest).toContain(':move-group:');
    expect((await waitTask(server.services, byRest)).status).toBe('OK');
    expect((await admin.trpc.group.list.query({ store, ns: 'moved' })).map((g) => g.id).sort()).toEqual([
      '200',
      'beta',
      'mv',
    ]);
    expect((await admin.trpc.group.list.query({ store })).map((g) => g.id)).toEqual(['100']);
    const listed = await admin.trpc.snapshot.list.query({ store, ns: 'moved', group: ct200 });
    expect(listed.items.map((s) => s.time)).toEqual([t0]);
    const missingTarget = await trpcFailure(
      admin.trpc.group.move.mutate({ store, ns: 'moved', group: ct200, targetNs: 'nope' }),
    );
    expect(missingTarget.app).toBe('NOT_FOUND');

    // a second host/beta at the root: refused up front without merging, failing inside the task
    // with merging (its snapshot is not newer than the target's), and left where it was
    await seed(ds, [{ type: 'host', id: 'beta', time: t0, authId: 'admin@pbs' }]);
    const beta = { type: 'host', id: 'beta' } as const;
    const noMerge = await trpcFailure(
      admin.trpc.group.move.mutate({ store, group: beta, targetNs: 'moved', mergeGroup: false }),
    );
    expect(noMerge.app).toBe('ALREADY_EXISTS');
    const merge = await admin.trpc.group.move.mutate({ store, group: beta, targetNs: 'moved' });
    expect((await waitTask(server.services, merge.taskId)).status).toContain('snapshot time mismatch');
    expect((await taskLog(server.services, merge.taskId)).join('\n')).toContain('merging group');
    expect((await admin.trpc.group.list.query({ store })).map((g) => g.id).sort()).toEqual(['100', 'beta']);
    await admin.trpc.group.remove.mutate({ store, group: beta });
  });

  it('removes groups, keeping protected snapshots (tRPC counts; DELETE /groups as PBS answers it)', async () => {
    await admin.trpc.snapshot.setProtected.mutate({
      store,
      snapshot: { ...vm100, time: t0 },
      protected: true,
    });
    expect(await admin.trpc.group.remove.mutate({ store, group: vm100 })).toEqual({
      removedSnapshots: 2,
      protectedKept: 1,
    });
    const query = { 'backup-type': 'vm', 'backup-id': '100' };
    const partial = await admin.rest.del(`${base}/groups`, query);
    expect([partial.status, partial.text]).toEqual([
      400,
      'group only partially deleted due to protected snapshots',
    ]);
    const tolerated = await admin.rest.del(`${base}/groups`, { ...query, 'error-on-protected': 0 });
    expect(data(tolerated)).toEqual({
      'protected-snapshots': 1,
      'removed-groups': 0,
      'removed-snapshots': 0,
    });

    await admin.trpc.snapshot.setProtected.mutate({
      store,
      snapshot: { ...vm100, time: t0 },
      protected: false,
    });
    const removed = await admin.rest.del(`${base}/groups`, query);
    expect(data(removed)).toEqual({ 'protected-snapshots': 0, 'removed-groups': 1, 'removed-snapshots': 1 });
    expect(await admin.trpc.group.list.query({ store })).toEqual([]);
    expect((await admin.rest.del(`${base}/groups`, query)).status).toBe(404);
  });
});
