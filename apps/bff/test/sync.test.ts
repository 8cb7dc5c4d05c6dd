/**
 * Remotes and sync jobs between two servers on loopback (separate data dirs and ports): server A
 * is the remote, server B pulls from it (and pushes to it). Covers remote CRUD with the write-only
 * secret, connection test, fingerprint fetch and scans; pull jobs with each filter kind,
 * transfer-last, remove-vanished; only missing chunks transferred; a source killed mid-sync
 * leaving no partial snapshot and the next run completing with verify passing; a local pull; a
 * push; wrong fingerprint and wrong secret refused; and what a RemoteSyncOperator +
 * DatastoreBackup token may do.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataBlob, type Datastore, type Digest } from '@pbs/datastore';
import { certFingerprint } from './client-cli.js';
import { ADMIN_PASSWORD, createTestDatastore, request, startServer } from './fixtures.js';
import { startTestServer, type TestServer } from './harness.js';
import {
  adminActor,
  data,
  openStore,
  seed,
  taskLog,
  trpcFailure,
  userWithRole,
  waitTask,
  type Actor,
} from './datastore-helpers.js';

const T0 = 1_700_000_000;
const HOUR = 3600;

describe('remotes and sync', () => {
  let a: TestServer & { dataDir: string };
  let b: TestServer & { dataDir: string };
  let adminB: Actor;
  let srcA: Datastore;
  let dstB: Datastore;
  let stageB: Datastore;
  const remote = 'server-a';
  const storeDirs: string[] = [];

  const times = async (ds: Datastore, ns: string, type: 'vm' | 'ct' | 'host', id: string) =>
    (await ds.listSnapshots(ns, { type, id }).catch(() => [])).filter((s) => s.finished).map((s) => s.time);
  const groupsOf = async (ds: Datastore, ns: string) =>
    (await ds.listGroups(ns)).map((g) => `${g.type}/${g.id}`).sort();
  const chunkCount = async (ds: Datastore) => {
    let n = 0;
    for await (const _c of ds.chunkStore.listChunkFiles()) n++;
    return n;
  };
  const summary = (log: string[]) => {
    const line = log.find((l) => l.includes('summary:')) ?? '';
    const m = /(\d+) chunk\(s\) (?:downloaded|uploaded)/.exec(line);
    return { line, chunks: m ? Number(m[1]) : NaN };
  };
  const pullOnce = async (input: Record<string, unknown>) => {
    const { taskId } = await adminB.trpc.sync.pull.mutate({
      store: 'dst',
      remote,
      remoteStore: 'src',
      ...input,
    });
    const status = await waitTask(b.services, taskId);
    return { status, log: await taskLog(b.services, taskId), taskId };
  };
  const nsOnB = async (name: string) => {
    await dstB.createNamespace('', name).catch(() => undefined);
  };

  beforeAll(async () => {
    [a, b] = await Promise.all([startServer(), startServer()]);
    storeDirs.push(
      ...(await Promise.all([
        createTestDatastore(a, 'src'),
        createTestDatastore(b, 'dst'),
        createTestDatastore(b, 'stage'),
      ])),
    );
    srcA = await openStore(a, 'src');
    dstB = await openStore(b, 'dst');
    stageB = await openStore(b, 'stage');
    const shared = randomBytes(256 * 1024);
    await srcA.createNamespace('', 'prod');
    await seed(srcA, [
      { type: 'vm', id: '100', time: T0, files: [{ name: 'drive.pxar.didx', data: shared }] },
      {
        type: 'vm',
        id: '100',
        time: T0 + HOUR,
        files: [{ name: 'drive.pxar.didx', data: Buffer.concat([shared, randomBytes(64 * 1024)]) }],
      },
      { type: 'vm', id: '101', time: T0, files: [{ name: 'drive.pxar.didx', data: shared }] },
      { type: 'ct', id: '200', time: T0 },
      { type: 'host', id: 'web-1', time: T0 },
      { ns: 'prod', type: 'host', id: 'db', time: T0 },
    ]);
    adminB = await adminActor(b);
    await adminB.trpc.remote.create.mutate({
      name: remote,
      host: '127.0.0.1',
      port: a.port,
      authId: 'admin@pbs',
      password: ADMIN_PASSWORD,
      fingerprint: certFingerprint(a),
      comment: 'server A',
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    for (const dir of [a.dataDir, b.dataDir, ...storeDirs])
      await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps the secret write-only (base64 in remote.cfg, never in replies) and checks the connection', async () => {
    const { items } = await adminB.trpc.remote.list.query();
    expect(items).toEqual([
      {
        name: remote,
        host: '127.0.0.1',
        port: a.port,
        authId: 'admin@pbs',
        fingerprint: certFingerprint(a),
        comment: 'server A',
      },
    ]);
    const rest = data<Record<string, unknown>>(await adminB.rest.get(`/config/remote/${remote}`));
    expect(rest).toMatchObject({ name: remote, 'auth-id': 'admin@pbs', port: a.port });
    expect(JSON.stringify(rest)).not.toContain(ADMIN_PASSWORD);
    const cfg = await fs.readFile(path.join(b.dataDir, 'etc', 'remote.cfg'), 'utf8');
    expect(cfg).toContain(`password ${Buffer.from(ADMIN_PASSWORD).toString('base64')}`);
    expect(cfg).not.toContain(ADMIN_PASSWORD);

    const test = await adminB.trpc.remote.testConnection.mutate({ name: remote });
    expect(test.ok).toBe(true);
    const fp = await adminB.trpc.remote.fetchFingerprint.mutate({ host: '127.0.0.1', port: a.port });
    expect(fp).toMatchObject({ fingerprint: certFingerprint(a), trusted: false });

    expect((await adminB.trpc.remote.scanDatastores.query({ name: remote })).map((d) => d.store)).toEqual([
      'src',
    ]);
    expect(
      (await adminB.trpc.remote.scanNamespaces.query({ name: remote, store: 'src' })).map((n) => n.ns),
    ).toEqual(['', 'prod']);
    const groups = await adminB.trpc.remote.scanGroups.query({ name: remote, store: 'src', ns: '' });
    expect(groups.map((g) => `${g.type}/${g.id}`).sort()).toEqual([
      'ct/200',
      'host/web-1',
      'vm/100',
      'vm/101',
    ]);
    const restGroups = data<Array<Record<string, unknown>>>(
      await adminB.rest.get(`/config/remote/${remote}/scan/src/groups`, { namespace: 'prod' }),
    );
    expect(restGroups.map((g) => g['backup-id'])).toEqual(['db']);
  });

  it('runs a pull job with a group filter: a syncjob task with progress, snapshots byte for byte, job status', async () => {
    const chunksBefore = await chunkCount(dstB);
    await adminB.trpc.syncJob.create.mutate({
      id: 'pull-vms',
      store: 'dst',
      remote,
      remoteStore: 'src',
      maxDepth: 0,
      groupFilter: ['type:vm'],
      schedule: 'daily',
      owner: 'admin@pbs',
    });
    const { taskId } = await adminB.trpc.syncJob.run.mutate({ id: 'pull-vms' });
    expect(taskId).toMatch(/^UPID:[^:]+:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:syncjob:/);
    expect((await waitTask(b.services, taskId)).state).toBe('ok');
    const log = await taskLog(b.services, taskId);
    expect(log.join('\n')).toMatch(/found 2 group\(s\) to sync/);
    expect(await times(dstB, '', 'vm', '100')).toEqual([T0, T0 + HOUR]);
    expect(await groupsOf(dstB, '')).toEqual(['vm/100', 'vm/101']);
    expect(await dstB.getOwner('', { type: 'vm', id: '100' })).toBe('admin@pbs');
    const snap = { type: 'vm' as const, id: '100', time: T0 + HOUR };
    expect((await dstB.loadManifest('', snap)).raw.equals((await srcA.loadManifest('', snap)).raw)).toBe(
      true,
    );
    // vm/101 and the second vm/100 snapshot reuse the chunks of 'shared'
    expect(summary(log).chunks).toBe((await chunkCount(dstB)) - chunksBefore);
    expect(summary(log).chunks).toBe(5);

    const [job] = (await adminB.trpc.syncJob.list.query({ store: 'dst' })).items;
    expect(job?.status).toMatchObject({ lastRunUpid: taskId, lastRunState: 'ok' });
    expect(job?.status.nextRun).toBeGreaterThan(0);
    const restJobs = data<Array<Record<string, unknown>>>(
      await adminB.rest.get('/admin/sync', { store: 'dst' }),
    );
    expect(restJobs[0]).toMatchObject({
      id: 'pull-vms',
      'remote-store': 'src',
      'group-filter': ['type:vm'],
      'last-run-state': 'OK',
    });
  });

  it('transfers only missing chunks: a rerun downloads none, a new snapshot only its new chunks', async () => {
    const again = await adminB.trpc.syncJob.run.mutate({ id: 'pull-vms' });
    expect((await waitTask(b.services, again.taskId)).state).toBe('ok');
    expect(summary(await taskLog(b.services, again.taskId)).chunks).toBe(0);

    const before = await chunkCount(dstB);
    const base = await srcA.openIndex('', { type: 'vm', id: '100', time: T0 }, 'drive.pxar.didx');
    expect(base.count).toBe(4);
    const { datastore } = await a.services.datastores.open('src', 'write');
    // same first 256 KiB (4 chunks known on B) plus 128 KiB new (2 chunks)
    const reader = await datastore.openReader('', { type: 'vm', id: '100', time: T0 });
    const pieces: Buffer[] = [];
    for (let i = 0; i < base.count; i++)
      pieces.push((await reader.loadChunk(base.digestAt(i) as Digest)).decode());
    reader.close();
    await seed(srcA, [
      {
        type: 'vm',
        id: '100',
        time: T0 + 2 * HOUR,
        files: [{ name: 'drive.pxar.didx', data: Buffer.concat([...pieces, randomBytes(128 * 1024)]) }],
      },
    ]);
    const run = await adminB.trpc.syncJob.run.mutate({ id: 'pull-vms' });
    expect((await waitTask(b.services, run.taskId)).state).toBe('ok');
    const { chunks } = summary(await taskLog(b.services, run.taskId));
    expect(chunks).toBe(2);
    expect((await chunkCount(dstB)) - before).toBe(2);
  });

  it('registers scheduled sync jobs with the scheduler; a scheduled run is a syncjob task of root@pam', async () => {
    const scheduled = (await b.services.jobs.all()).find(
      (j) => j.jobType === 'syncjob' && j.id === 'pull-vms',
    );
    expect(scheduled?.schedule).toBe('daily');
    const upid = await (scheduled as NonNullable<typeof scheduled>).run();
    expect(upid).toContain(':syncjob:');
    expect(upid).toContain(':root@pam:');
    expect((await waitTask(b.services, upid)).state).toBe('ok');
    expect((await taskLog(b.services, upid)).join('\n')).toMatch(/task triggered by schedule 'daily'/);
    const [job] = (await adminB.trpc.syncJob.list.query({ store: 'dst' })).items;
    expect(job?.status.lastRunUpid).toBe(upid);
  });

  it('applies each filter kind: type, group, regex, exclude', async () => {
    const cases: Array<[string, string[], string[]]> = [
      ['f-type', ['type:ct'], ['ct/200']],
      ['f-group', ['group:vm/101'], ['vm/101']],
      ['f-regex', ['regex:^(host|ct)/'], ['ct/200', 'host/web-1']],
      ['f-exclude', ['exclude:type:vm', 'exclude:regex:web'], ['ct/200']],
    ];
    for (const [ns, groupFilter, expected] of cases) {
      await nsOnB(ns);
      const { status } = await pullOnce({ ns, maxDepth: 0, groupFilter });
      expect(status.state, ns).toBe('ok');
      expect(await groupsOf(dstB, ns), ns).toEqual(expected);
    }
  });

  it('maps namespaces, applies transfer-last and removes vanished snapshots', async () => {
    await nsOnB('mirror');
    let r = await pullOnce({ ns: 'mirror', groupFilter: ['group:vm/100', 'group:host/db'], transferLast: 1 });
    expect(r.status.state).toBe('ok');
    expect(await times(dstB, 'mirror', 'vm', '100')).toEqual([T0 + 2 * HOUR]);
    expect(await times(dstB, 'mirror/prod', 'host', 'db')).toEqual([T0]);
    expect(r.log.join('\n')).toMatch(/skipped 2 snapshot\(s\) due to transfer-last/);

    r = await pullOnce({ ns: 'mirror', groupFilter: ['group:vm/100'], maxDepth: 0 });
    expect(r.status.state).toBe('ok');
    expect(await times(dstB, 'mirror', 'vm', '100')).toEqual([T0 + 2 * HOUR]);
    await a.services.datastores
      .open('src', 'write')
      .then(({ datastore }) => datastore.removeSnapshot('', { type: 'vm', id: '100', time: T0 + 2 * HOUR }));
    // the pull into 'mirror' took only the newest; a full pull then remove-vanished
    r = await pullOnce({ ns: 'mirror', groupFilter: ['group:vm/100'], maxDepth: 0 });
    expect(r.log.join('\n')).toMatch(/skipped 2 already synced snapshot/);
    expect(await times(dstB, 'mirror', 'vm', '100')).toEqual([T0 + 2 * HOUR]);
    r = await pullOnce({ ns: 'mirror', groupFilter: ['group:vm/100'], maxDepth: 0, removeVanished: true });
    expect(r.status.state).toBe('ok');
    expect(await times(dstB, 'mirror', 'vm', '100')).toEqual([]);
    expect(r.log.join('\n')).toMatch(/delete vanished snapshot/);
  });

  it('a local pull copies between datastores of one server', async () => {
    await seed(stageB, [{ type: 'host', id: 'local-box', time: T0 }]);
    await nsOnB('local');
    const { taskId } = await adminB.trpc.sync.pull.mutate({
      store: 'dst',
      ns: 'local',
      remoteStore: 'stage',
    });
    expect((await waitTask(b.services, taskId)).state).toBe('ok');
    expect(await times(dstB, 'local', 'host', 'local-box')).toEqual([T0]);
    expect(await dstB.getOwner('local', { type: 'host', id: 'local-box' })).toBe('admin@pbs');
    const same = await trpcFailure(adminB.trpc.sync.pull.mutate({ store: 'dst', remoteStore: 'dst' }));
    expect(same.message).toMatch(/can't sync to same datastore/);
  });

  it('pushes to the remote: namespace created there, then only new chunks uploaded', async () => {
    await seed(stageB, [
      {
        type: 'host',
        id: 'pushed',
        time: T0,
        files: [{ name: 'root.pxar.didx', data: randomBytes(192 * 1024) }],
      },
    ]);
    const clientLog = DataBlob.encode(Buffer.from('backup of host/pushed: ok\n')).raw;
    await stageB.uploadClientLog('', { type: 'host', id: 'pushed', time: T0 }, clientLog);
    const push = async (removeVanished = false) => {
      const { taskId } = await adminB.trpc.sync.push.mutate({
        store: 'stage',
        remote,
        remoteStore: 'src',
        remoteNs: 'from-b',
        groupFilter: ['group:host/pushed'],
        removeVanished,
      });
      const status = await waitTask(b.services, taskId);
      return { status, log: await taskLog(b.services, taskId) };
    };
    let r = await push();
    expect(r.status.state, r.log.join('\n')).toBe('ok');
    expect(await times(srcA, 'from-b', 'host', 'pushed')).toEqual([T0]);
    expect(summary(r.log).chunks).toBe(3);
    const snap = { type: 'host' as const, id: 'pushed', time: T0 };
    const idx = await stageB.openIndex('', snap, 'root.pxar.didx');
    const reader = await stageB.openReader('', snap);
    const pieces: Buffer[] = [];
    for (let i = 0; i < idx.count; i++)
      pieces.push((await reader.loadChunk(idx.digestAt(i) as Digest)).decode());
    reader.close();
    await seed(stageB, [
      {
        type: 'host',
        id: 'pushed',
        time: T0 + HOUR,
        files: [{ name: 'root.pxar.didx', data: Buffer.concat([...pieces, randomBytes(64 * 1024)]) }],
      },
    ]);
    r = await push();
    expect(r.status.state, r.log.join('\n')).toBe('ok');
    expect(summary(r.log).chunks).toBe(1);
    expect(await times(srcA, 'from-b', 'host', 'pushed')).toEqual([T0, T0 + HOUR]);
    // the pushed snapshot verifies on A, and its client log came along
    const { taskId } = await (await adminActor(a)).trpc.verify.run.mutate({ store: 'src', ns: 'from-b' });
    expect((await waitTask(a.services, taskId)).state).toBe('ok');
    const logFile = (await srcA.snapshotInfo('from-b', snap)).files.map((f) => f.filename);
    expect(logFile).toContain('client.log.blob');

    // and back: a pull of the pushed group brings the client log too
    await nsOnB('roundtrip');
    const back = await pullOnce({ ns: 'roundtrip', remoteNs: 'from-b', groupFilter: ['group:host/pushed'] });
    expect(back.status.state).toBe('ok');
    expect(await times(dstB, 'roundtrip', 'host', 'pushed')).toEqual([T0, T0 + HOUR]);
    const pulledLog = await fs.readFile(
      path.join(
        storeDirs[1] as string,
        'ns',
        'roundtrip',
        'host',
        'pushed',
        '2023-11-14T22:13:20Z',
        'client.log.blob',
      ),
    );
    expect(pulledLog.equals(clientLog)).toBe(true);

    // remove-vanished on a push deletes on the remote what is gone locally
    await stageB.removeSnapshot('', { type: 'host', id: 'pushed', time: T0 });
    r = await push(true);
    expect(r.status.state, r.log.join('\n')).toBe('ok');
    expect(r.log.join('\n')).toMatch(/delete vanished snapshot .* on the remote/);
    expect(await times(srcA, 'from-b', 'host', 'pushed')).toEqual([T0 + HOUR]);
  });

  it('refuses a wrong fingerprint and a wrong secret with clear errors', async () => {
    await adminB.trpc.remote.create.mutate({
      name: 'wrong-fp',
      host: '127.0.0.1',
      port: a.port,
      authId: 'admin@pbs',
      password: ADMIN_PASSWORD,
      fingerprint: certFingerprint(b),
    });
    const fp = await trpcFailure(adminB.trpc.remote.testConnection.mutate({ name: 'wrong-fp' }));
    expect(fp.app).toBe('UNAUTHENTICATED');
    expect(fp.message).toMatch(/certificate fingerprint mismatch - expected .*, the server presented /);
    expect(fp.message).toContain(certFingerprint(a));
    const { taskId } = await adminB.trpc.sync.pull.mutate({
      store: 'dst',
      remote: 'wrong-fp',
      remoteStore: 'src',
    });
    const status = await waitTask(b.services, taskId);
    expect(status.state).toBe('error');
    expect(status.status).toMatch(/fingerprint mismatch/);

    await adminB.trpc.remote.create.mutate({
      name: 'wrong-pw',
      host: '127.0.0.1',
      port: a.port,
      authId: 'admin@pbs',
      password: 'not-the-password',
      fingerprint: certFingerprint(a),
    });
    const pw = await trpcFailure(adminB.trpc.remote.testConnection.mutate({ name: 'wrong-pw' }));
    expect(pw.app).toBe('UNAUTHENTICATED');
    expect(pw.message).toMatch(/remote 'wrong-pw' .*authentication failed for 'admin@pbs'/);
  });

  it('a RemoteSyncOperator + DatastoreBackup token pulls, and can do nothing more', async () => {
    const op = await userWithRole(b, 'op@pbs', [
      { path: `/remote/${remote}`, role: 'RemoteSyncOperator' },
      { path: '/datastore/dst', role: 'DatastoreBackup' },
    ]);
    const { value } = await b.services.access.createToken('op@pbs', 'sync');
    await b.services.access.updateAcl({
      authId: 'op@pbs!sync',
      path: `/remote/${remote}`,
      role: 'RemoteSyncOperator',
    });
    await b.services.access.updateAcl({
      authId: 'op@pbs!sync',
      path: '/datastore/dst',
      role: 'DatastoreBackup',
    });
    await nsOnB('op');
    const headers = { authorization: `PBSAPIToken op@pbs!sync:${value}` };
    const ca = b.services.certificate.cert;
    const post = (p: string, body: Record<string, unknown>) =>
      request(b.url, 'POST', `/api2/json${p}`, { ca, headers, body });

    const pulled = await post('/pull', {
      store: 'dst',
      ns: 'op',
      remote,
      'remote-store': 'src',
      'max-depth': 0,
      'group-filter': ['group:ct/200'],
    });
    const upid = data<string>(pulled);
    expect((await waitTask(b.services, upid)).state).toBe('ok');
    expect(await dstB.getOwner('op', { type: 'ct', id: '200' })).toBe('op@pbs!sync');

    // remove-vanished needs Datastore.Prune; sync jobs need Datastore.Audit; remotes need Remote.Modify
    expect(
      (
        await post('/pull', {
          store: 'dst',
          ns: 'op',
          remote,
          'remote-store': 'src',
          'remove-vanished': true,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await post('/config/sync', {
          id: 'op-job',
          store: 'dst',
          remote,
          'remote-store': 'src',
          owner: 'op@pbs!sync',
        })
      ).status,
    ).toBe(403);
    expect((await post('/push', { store: 'dst', remote, 'remote-store': 'src' })).status).toBe(403);
    expect(
      (await post('/config/remote', { name: 'op-remote', host: 'x', 'auth-id': 'a@pbs', password: 'p' }))
        .status,
    ).toBe(403);
    expect((await post('/pull', { store: 'stage', remote, 'remote-store': 'src' })).status).toBe(403);
    // it sees the remote (Remote.Audit), without the secret, and no sync jobs
    const remotes = data<Array<Record<string, unknown>>>(
      await request(b.url, 'GET', '/api2/json/config/remote', { ca, headers }),
    );
    expect(remotes.map((r) => r.name)).toEqual([remote]);
    expect((await op.trpc.syncJob.list.query({})).items).toEqual([]);
    const upd = await trpcFailure(op.trpc.remote.update.mutate({ name: remote, comment: 'mine' }));
    expect(upd.code).toBe('FORBIDDEN');
  });

  it('a source killed mid-sync leaves no partial snapshot; after a restart the next run completes and verifies', async () => {
    await seed(srcA, [
      {
        type: 'host',
        id: 'big',
        time: T0,
        files: [{ name: 'root.pxar.didx', data: randomBytes(2 * 1024 * 1024) }],
      },
    ]);
    await nsOnB('resume');
    await adminB.trpc.syncJob.create.mutate({
      id: 'resume',
      store: 'dst',
      ns: 'resume',
      remote,
      remoteStore: 'src',
      maxDepth: 0,
      groupFilter: ['group:host/big'],
      rateIn: '512KiB',
      burstIn: '64KiB',
    });
    // B reaches A through a TCP relay, so killing the source drops B's connections too (the
    // in-process crash leaves upgraded protocol sockets open, a dead process would not)
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      const upstream = net.connect(a.port, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined).on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    await adminB.trpc.remote.update.mutate({ name: remote, port: (relay.address() as net.AddressInfo).port });

    const { taskId } = await adminB.trpc.syncJob.run.mutate({ id: 'resume' });
    for await (const event of b.services.tasks.follow(taskId, 0)) {
      if (event.kind === 'progress' && (event.progress.bytesDone ?? 0) > 256 * 1024) break;
      if (event.kind === 'end') throw new Error('the sync ended before the source was killed');
    }
    relay.close();
    for (const s of sockets) s.destroy();
    await a.crash();
    const failed = await waitTask(b.services, taskId);
    expect(failed.state, (await taskLog(b.services, taskId)).join('\n')).toBe('error');
    const partial = await dstB.listSnapshots('resume', { type: 'host', id: 'big' }).catch(() => []);
    expect(partial).toEqual([]);

    const restarted = await startTestServer({ dataDir: a.dataDir, adminPassword: ADMIN_PASSWORD, pstart: 2 });
    const oldA = a;
    a = { ...restarted, dataDir: oldA.dataDir };
    await adminB.trpc.remote.update.mutate({ name: remote, port: a.port, delete: [] });
    await adminB.trpc.syncJob.update.mutate({ id: 'resume', delete: ['rateIn', 'burstIn'] });
    const again = await adminB.trpc.syncJob.run.mutate({ id: 'resume' });
    const status = await waitTask(b.services, again.taskId);
    expect(status.state, (await taskLog(b.services, again.taskId)).join('\n')).toBe('ok');
    expect(await times(dstB, 'resume', 'host', 'big')).toEqual([T0]);
    const verify = await adminB.trpc.verify.run.mutate({ store: 'dst', ns: 'resume' });
    expect((await waitTask(b.services, verify.taskId)).state).toBe('ok');
  });
});
