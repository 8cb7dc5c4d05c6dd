/**
 * PBS's owner rules for datastore content: DatastoreBackup sees and manages only owned groups
 * (its tokens' groups too), DatastorePowerUser prunes only its own, DatastoreAudit sees all but
 * changes nothing, and an ACL on a namespace applies there and below.
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './harness.js';
import { createTestDatastore, request, startServer } from './fixtures.js';
import {
  adminActor,
  data,
  openStore,
  seed,
  trpcFailure,
  userWithRole,
  utc,
  waitTask,
  type Actor,
} from './datastore-helpers.js';

const store = 'owners';
const storePath = `/datastore/${store}`;
const base = `/admin/datastore/${store}`;
const DAY = 86_400;
const t0 = utc(2024, 3, 1);
const TOKEN = 'alice@pbs!tok';

const group = (type: 'vm' | 'host' | 'ct', id: string) => ({ type, id });
const aliceGroup = group('host', 'alice');
const tokenGroup = group('host', 'alice-token');
const bobGroup = group('host', 'bob');
const powerGroup = group('vm', '300');
const adminGroup = group('vm', '100');

describe('datastore owner rules', () => {
  let server: TestServer & { dataDir: string };
  let storeDir = '';
  let admin: Actor;
  let alice: Actor;
  let bob: Actor;
  let power: Actor;
  let audit: Actor;
  let nsUser: Actor;
  let tokenHeader: Record<string, string>;

  const ids = (items: Array<{ id: string }>) => items.map((g) => g.id).sort();
  const snapshotTimes = async (g: { type: 'vm' | 'host' | 'ct'; id: string }, ns = '') =>
    (await admin.trpc.snapshot.list.query({ store, ns, group: g })).items.map((s) => s.time).sort();

  beforeAll(async () => {
    server = await startServer({ http: true });
    storeDir = await createTestDatastore(server, store);
    admin = await adminActor(server);
    alice = await userWithRole(server, 'alice@pbs', [{ path: storePath, role: 'DatastoreBackup' }]);
    bob = await userWithRole(server, 'bob@pbs', [{ path: storePath, role: 'DatastoreBackup' }]);
    power = await userWithRole(server, 'power@pbs', [{ path: storePath, role: 'DatastorePowerUser' }]);
    audit = await userWithRole(server, 'audit@pbs', [{ path: storePath, role: 'DatastoreAudit' }]);
    nsUser = await userWithRole(server, 'nsuser@pbs', [
      { path: `${storePath}/team`, role: 'DatastoreBackup' },
    ]);
    const token = await server.services.access.createToken('alice@pbs', 'tok');
    await server.services.access.updateAcl({ path: storePath, role: 'DatastoreBackup', authId: TOKEN });
    tokenHeader = { authorization: `PBSAPIToken=${token.tokenid}:${token.value}` };

    const ds = await openStore(server, store);
    await ds.createNamespace('', 'team');
    await ds.createNamespace('team', 'sub');
    await seed(ds, [
      { ...aliceGroup, time: t0, authId: 'alice@pbs' },
      { ...aliceGroup, time: t0 + DAY, authId: 'alice@pbs' },
      { ...tokenGroup, time: t0, authId: TOKEN },
      { ...bobGroup, time: t0, authId: 'bob@pbs' },
      ...[0, 1, 2].map((n) => ({ ...powerGroup, time: t0 + n * DAY, authId: 'power@pbs' })),
      ...[0, 1, 2].map((n) => ({ ...adminGroup, time: t0 + n * DAY, authId: 'admin@pbs' })),
      { ns: 'team', type: 'host', id: 'ns-own', time: t0, authId: 'nsuser@pbs' },
      { ns: 'team', type: 'host', id: 'team-admin', time: t0, authId: 'admin@pbs' },
      { ns: 'team/sub', type: 'host', id: 'sub-own', time: t0, authId: 'nsuser@pbs' },
    ]);
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    await fs.rm(storeDir, { recursive: true, force: true });
  });

  it("shows a DatastoreBackup user only its own groups and its tokens' groups", async () => {
    expect(ids(await alice.trpc.group.list.query({ store }))).toEqual(['alice', 'alice-token']);
    const snapshots = await alice.trpc.snapshot.list.query({ store });
    expect(snapshots.total).toBe(3);
    expect(new Set(snapshots.items.map((s) => s.owner))).toEqual(new Set(['alice@pbs', TOKEN]));
    const rest = data<Array<Record<string, unknown>>>(await alice.rest.get(`${base}/groups`));
    expect(rest.map((g) => g['backup-id']).sort()).toEqual(['alice', 'alice-token']);
    const restSnapshots = data<unknown[]>(await alice.rest.get(`${base}/snapshots`));
    expect(restSnapshots).toHaveLength(3);
    expect(ids(await bob.trpc.group.list.query({ store }))).toEqual(['bob']);
    expect(await alice.trpc.group.list.query({ store, ns: 'team' })).toEqual([]);

    // Status counts cover only what the caller may see (PBS get_snapshots_count).
    const status = await alice.trpc.datastore.status.query({ store });
    expect(status.counts).toEqual({
      ct: { groups: 0, snapshots: 0 },
      host: { groups: 2, snapshots: 3 },
      vm: { groups: 0, snapshots: 0 },
    });
    expect((await admin.trpc.datastore.status.query({ store })).counts.vm).toEqual({
      groups: 2,
      snapshots: 6,
    });

    // The token acts as itself: it owns only its own group.
    const ca = server.services.certificate.cert;
    const viaToken = await request(server.url, 'GET', `/api2/json${base}/groups`, {
      ca,
      headers: tokenHeader,
    });
    expect(data<Array<Record<string, unknown>>>(viaToken).map((g) => g['backup-id'])).toEqual([
      'alice-token',
    ]);
  });

  it('lets a DatastoreBackup user edit notes and protection of its own groups only, and forget nothing', async () => {
    await alice.trpc.group.setNotes.mutate({ store, group: aliceGroup, notes: 'mine' });
    expect(await alice.trpc.group.notes.query({ store, group: aliceGroup })).toEqual({ notes: 'mine' });
    await alice.trpc.group.setNotes.mutate({ store, group: tokenGroup, notes: 'my token' });
    for (const attempt of [
      () => alice.trpc.group.notes.query({ store, group: bobGroup }),
      () => alice.trpc.group.setNotes.mutate({ store, group: bobGroup, notes: 'x' }),
      () => alice.trpc.snapshot.notes.query({ store, snapshot: { ...bobGroup, time: t0 } }),
      () =>
        alice.trpc.snapshot.setProtected.mutate({
          store,
          snapshot: { ...bobGroup, time: t0 },
          protected: true,
        }),
    ]) {
      expect((await trpcFailure(attempt())).code).toBe('FORBIDDEN');
    }
    expect(await alice.trpc.snapshot.list.query({ store, group: bobGroup })).toEqual({ total: 0, items: [] });

    const own = { ...aliceGroup, time: t0 };
    await alice.trpc.snapshot.setNotes.mutate({ store, snapshot: own, notes: 'own snapshot' });
    expect(await alice.trpc.snapshot.notes.query({ store, snapshot: own })).toEqual({
      notes: 'own snapshot',
    });
    await alice.trpc.snapshot.setProtected.mutate({ store, snapshot: own, protected: true });
    await alice.trpc.snapshot.setProtected.mutate({ store, snapshot: own, protected: false });

    // Forgetting and pruning need Datastore.Prune (as owner) or Modify: Backup alone is not enough.
    for (const attempt of [
      () => alice.trpc.snapshot.remove.mutate({ store, snapshot: own }),
      () => alice.trpc.snapshot.remove.mutate({ store, snapshot: { ...bobGroup, time: t0 } }),
      () => alice.trpc.group.remove.mutate({ store, group: aliceGroup }),
      () => alice.trpc.prune.preview.query({ store, group: aliceGroup, keepLast: 1 }),
      () => alice.trpc.gc.run.mutate({ store }),
    ]) {
      expect((await trpcFailure(attempt())).code).toBe('FORBIDDEN');
    }
    const restForget = await alice.rest.del(`${base}/snapshots`, {
      'backup-type': 'host',
      'backup-id': 'bob',
      'backup-time': t0,
    });
    expect(restForget.status).toBe(403);
    expect(await snapshotTimes(bobGroup)).toEqual([t0]);
    expect(await snapshotTimes(aliceGroup)).toEqual([t0, t0 + DAY]);
  });

  it('lets a DatastoreBackup user verify its own groups and snapshots only', async () => {
    const { taskId } = await alice.trpc.verify.run.mutate({ store, group: aliceGroup });
    // PBS worker id 'owners:/host/alice', unit-escaped in the UPID
    expect(taskId).toMatch(/:verify_group:owners\\x3a-host-alice:alice@pbs:$/);
    expect((await waitTask(server.services, taskId)).status).toBe('OK');
    const upid = data<string>(
      await alice.rest.post(`${base}/verify`, {
        'backup-type': 'host',
        'backup-id': 'alice',
        'backup-time': t0,
      }),
    );
    expect(upid).toContain(':verify_snapshot:');
    expect((await waitTask(server.services, upid)).status).toBe('OK');
    expect((await trpcFailure(alice.trpc.verify.run.mutate({ store, group: bobGroup }))).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await alice.rest.post(`${base}/verify`, { 'backup-type': 'host', 'backup-id': 'bob' })).status,
    ).toBe(403);
  });

  it("changes a group's owner between the user and its own tokens only", async () => {
    await alice.trpc.group.changeOwner.mutate({ store, group: aliceGroup, newOwner: TOKEN });
    expect((await admin.trpc.group.list.query({ store })).find((g) => g.id === 'alice')?.owner).toBe(TOKEN);
    const back = await alice.rest.post(`${base}/change-owner`, {
      'backup-type': 'host',
      'backup-id': 'alice',
      'new-owner': 'alice@pbs',
    });
    expect(data(back)).toBeNull();
    expect((await admin.trpc.group.list.query({ store })).find((g) => g.id === 'alice')?.owner).toBe(
      'alice@pbs',
    );

    const toOtherUser = await trpcFailure(
      alice.trpc.group.changeOwner.mutate({ store, group: aliceGroup, newOwner: 'bob@pbs' }),
    );
    expect(toOtherUser.code).toBe('FORBIDDEN');
    const notOwner = await trpcFailure(
      alice.trpc.group.changeOwner.mutate({ store, group: bobGroup, newOwner: TOKEN }),
    );
    expect(notOwner.code).toBe('FORBIDDEN');
    // A token cannot hand groups over, not even its own.
    const ca = server.services.certificate.cert;
    const viaToken = await request(server.url, 'POST', `/api2/json${base}/change-owner`, {
      ca,
      headers: tokenHeader,
      body: { 'backup-type': 'host', 'backup-id': 'alice-token', 'new-owner': 'alice@pbs' },
    });
    expect(viaToken.status).toBe(403);
    // An auditor may not change owners at all; Modify may give any group to any active user.
    expect(
      (
        await trpcFailure(
          audit.trpc.group.changeOwner.mutate({ store, group: bobGroup, newOwner: 'audit@pbs' }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    await server.services.access.updateUser('nsuser@pbs', { enable: false });
    const inactive = await trpcFailure(
      admin.trpc.group.changeOwner.mutate({ store, group: bobGroup, newOwner: 'nsuser@pbs' }),
    );
    expect(inactive).toMatchObject({ code: 'BAD_REQUEST', details: { field: 'newOwner' } });
    await server.services.access.updateUser('nsuser@pbs', { enable: true });
  });

  it('lets a DatastorePowerUser prune and forget its own groups, and a namespace-wide prune touches only them', async () => {
    const marks = await power.trpc.prune.preview.query({ store, group: powerGroup, keepLast: 1 });
    expect(marks.map((m) => [m.time, m.keep])).toEqual([
      [t0, false],
      [t0 + DAY, false],
      [t0 + 2 * DAY, true],
    ]);
    expect(
      (await trpcFailure(power.trpc.prune.preview.query({ store, group: adminGroup, keepLast: 1 }))).code,
    ).toBe('FORBIDDEN');
    expect(
      (await trpcFailure(power.trpc.prune.run.mutate({ store, group: adminGroup, keepLast: 1 }))).code,
    ).toBe('FORBIDDEN');
    const restOther = await power.rest.post(`${base}/prune`, {
      'backup-type': 'vm',
      'backup-id': '100',
      'keep-last': 1,
      'dry-run': 1,
    });
    expect(restOther.status).toBe(403);

    const { taskId } = await power.trpc.prune.run.mutate({ store, group: powerGroup, keepLast: 2 });
    expect((await waitTask(server.services, taskId)).status).toBe('OK');
    expect(await snapshotTimes(powerGroup)).toEqual([t0 + DAY, t0 + 2 * DAY]);

    // Prune over the whole datastore: only the caller's own groups are pruned.
    const upid = data<string>(await power.rest.post(`${base}/prune-datastore`, { 'keep-last': 1 }));
    expect((await waitTask(server.services, upid)).status).toBe('OK');
    expect(await snapshotTimes(powerGroup)).toEqual([t0 + 2 * DAY]);
    expect(await snapshotTimes(adminGroup)).toEqual([t0, t0 + DAY, t0 + 2 * DAY]);
    expect(await snapshotTimes(aliceGroup)).toEqual([t0, t0 + DAY]);

    await power.trpc.snapshot.remove.mutate({ store, snapshot: { ...powerGroup, time: t0 + 2 * DAY } });
    expect(
      (await trpcFailure(power.trpc.snapshot.remove.mutate({ store, snapshot: { ...adminGroup, time: t0 } })))
        .code,
    ).toBe('FORBIDDEN');
    expect((await trpcFailure(power.trpc.group.remove.mutate({ store, group: bobGroup }))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('lets a DatastoreAudit user see everything and change nothing', async () => {
    expect(ids(await audit.trpc.group.list.query({ store }))).toEqual(['100', 'alice', 'alice-token', 'bob']);
    expect((await audit.trpc.snapshot.list.query({ store })).total).toBe(7);
    expect(await audit.trpc.group.notes.query({ store, group: aliceGroup })).toEqual({ notes: 'mine' });
    expect((await audit.trpc.gc.status.query({ store })).store).toBe(store);
    // all namespaces count: three host groups at the root and three below 'team'
    expect((await audit.trpc.datastore.status.query({ store })).counts.host).toEqual({
      groups: 6,
      snapshots: 7,
    });
    const snapshot = { ...bobGroup, time: t0 };
    for (const attempt of [
      () => audit.trpc.group.setNotes.mutate({ store, group: bobGroup, notes: 'x' }),
      () => audit.trpc.snapshot.setNotes.mutate({ store, snapshot, notes: 'x' }),
      () => audit.trpc.snapshot.setProtected.mutate({ store, snapshot, protected: true }),
      () => audit.trpc.snapshot.remove.mutate({ store, snapshot }),
      () => audit.trpc.group.remove.mutate({ store, group: bobGroup }),
      () => audit.trpc.group.move.mutate({ store, group: bobGroup, targetNs: 'team' }),
      () => audit.trpc.prune.preview.query({ store, group: bobGroup, keepLast: 1 }),
      () => audit.trpc.prune.run.mutate({ store, keepLast: 1 }),
      () => audit.trpc.namespace.create.mutate({ store, name: 'x' }),
      () => audit.trpc.gc.run.mutate({ store }),
      () => audit.trpc.verify.run.mutate({ store }),
    ]) {
      expect((await trpcFailure(attempt())).code).toBe('FORBIDDEN');
    }
    const restNotes = await audit.rest.put(`${base}/group-notes`, {
      'backup-type': 'host',
      'backup-id': 'bob',
      notes: 'x',
    });
    expect(restNotes.status).toBe(403);
  });

  it('applies an ACL on a namespace to that namespace and below', async () => {
    expect((await nsUser.trpc.datastore.list.query()).map((d) => d.store)).toEqual([store]);
    const namespaces = await nsUser.trpc.namespace.list.query({ store });
    expect(namespaces.map((n) => n.ns)).toEqual(['team', 'team/sub']);
    const rest = data<Array<{ ns: string }>>(await nsUser.rest.get(`${base}/namespace`));
    expect(rest.map((n) => n.ns)).toEqual(['team', 'team/sub']);

    expect((await trpcFailure(nsUser.trpc.group.list.query({ store }))).code).toBe('FORBIDDEN');
    expect((await nsUser.rest.get(`${base}/groups`)).status).toBe(403);
    expect(ids(await nsUser.trpc.group.list.query({ store, ns: 'team' }))).toEqual(['ns-own']);
    expect(ids(await nsUser.trpc.group.list.query({ store, ns: 'team/sub' }))).toEqual(['sub-own']);
    const own = { type: 'host', id: 'ns-own' } as const;
    await nsUser.trpc.group.setNotes.mutate({ store, ns: 'team', group: own, notes: 'team notes' });
    const upid = data<string>(
      await nsUser.rest.post(`${base}/verify`, { ns: 'team', 'backup-type': 'host', 'backup-id': 'ns-own' }),
    );
    expect((await waitTask(server.services, upid)).status).toBe('OK');
    const otherInTeam = await trpcFailure(
      nsUser.trpc.group.notes.query({ store, ns: 'team', group: { type: 'host', id: 'team-admin' } }),
    );
    expect(otherInTeam.code).toBe('FORBIDDEN');

    // Namespaces are created, removed and moved with Modify on their parent (PBS).
    const teamAdmin = await userWithRole(server, 'team-admin@pbs', [
      { path: `${storePath}/team`, role: 'DatastoreAdmin' },
      { path: `${storePath}/team2`, role: 'DatastoreAdmin' },
    ]);
    await teamAdmin.trpc.namespace.create.mutate({ store, parent: 'team', name: 'tmp' });
    const { taskId: moved } = await teamAdmin.trpc.namespace.move.mutate({
      store,
      ns: 'team/tmp',
      targetNs: 'team/sub/tmp',
    });
    expect((await waitTask(server.services, moved)).status).toBe('OK');
    await teamAdmin.trpc.namespace.remove.mutate({ store, ns: 'team/sub/tmp' });
    for (const attempt of [
      () => teamAdmin.trpc.namespace.move.mutate({ store, ns: 'team', targetNs: 'team2' }),
      () => teamAdmin.trpc.namespace.move.mutate({ store, ns: 'team/sub', targetNs: 'sub' }),
      () => teamAdmin.trpc.namespace.remove.mutate({ store, ns: 'team' }),
      () => teamAdmin.trpc.namespace.create.mutate({ store, name: 'beside' }),
    ]) {
      expect((await trpcFailure(attempt())).code).toBe('FORBIDDEN');
    }
    expect((await admin.trpc.namespace.list.query({ store })).map((n) => n.ns)).toEqual([
      '',
      'team',
      'team/sub',
    ]);

    // Others see no trace of namespaces they have no privilege on.
    const outsider = await userWithRole(server, 'outsider@pbs', []);
    expect((await trpcFailure(outsider.trpc.namespace.list.query({ store }))).code).toBe('FORBIDDEN');
    expect((await trpcFailure(outsider.trpc.namespace.list.query({ store, parent: 'nope' }))).code).toBe(
      'FORBIDDEN',
    );
  });
});
