/**
 * Tape over the API: a virtual changer with three small tapes (2 MiB each) and a drive in it,
 * label them into a pool, a tape backup job whose run spans the tapes, content and inventory
 * listings (tRPC and PBS REST), a restore into another namespace that verifies, a wrong-tape
 * error through the task log, and the privileges of a Tape.Audit-only user.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerify, silentContext, type Datastore } from '@pbs/datastore';
import { createTestDatastore, startServer } from './fixtures.js';
import type { TestServer } from './harness.js';
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

const store = 'tapesrc';
const TAPES = ['TAPE01', 'TAPE02', 'TAPE03'];

describe('tape backup and restore over the API', () => {
  let server: TestServer & { dataDir: string };
  let admin: Actor;
  let ds: Datastore;
  let storeDir = '';
  let offsetMs = 0;

  const ok = async (taskId: string) => {
    const status = await waitTask(server.services, taskId);
    expect(status.state, (await taskLog(server.services, taskId)).join('\n')).toBe('ok');
    return taskLog(server.services, taskId);
  };

  beforeAll(async () => {
    server = await startServer({ http: true, clock: { now: () => Date.now() + offsetMs } });
    admin = await adminActor(server);
    storeDir = await createTestDatastore(server, store);
    ds = await openStore(server, store);
    await ds.createNamespace('', 'prod');
    await seed(ds, [
      {
        type: 'host',
        id: 'web',
        time: 1_700_000_000,
        files: [{ name: 'root.pxar.didx', data: randomBytes(900_000) }],
      },
      {
        ns: 'prod',
        type: 'vm',
        id: '100',
        time: 1_700_000_100,
        files: [
          { name: 'drive-scsi0.img.fidx', data: randomBytes(300_000) },
          { name: 'root.pxar.didx', data: randomBytes(1_200_000) },
        ],
      },
      {
        ns: 'prod',
        type: 'ct',
        id: '200',
        time: 1_700_000_200,
        files: [{ name: 'root.pxar.didx', data: randomBytes(800_000) }],
      },
    ]);
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    await fs.rm(storeDir, { recursive: true, force: true });
  });

  it('configures a virtual changer and drive, labels three tapes into a pool, runs a job across them, restores to another namespace', async () => {
    const tapeDir = path.join(server.dataDir, 'tapes');
    await admin.trpc.tapeChanger.create.mutate({
      name: 'lib1',
      path: tapeDir,
      slots: 6,
      exportSlots: '6',
      maxSize: 8 * 262144,
    });
    await admin.trpc.tapeDrive.create.mutate({ name: 'drive1', path: tapeDir, changer: 'lib1' });
    const clash = await trpcFailure(admin.trpc.tapeDrive.create.mutate({ name: 'lib1', path: tapeDir }));
    expect(clash.app).toBe('ALREADY_EXISTS');
    await admin.trpc.tapePool.create.mutate({ name: 'pool1', allocation: 'continue', retention: 'keep' });
    const badPool = await trpcFailure(
      admin.trpc.tapePool.create.mutate({ name: 'pool2', retention: 'eventually' }),
    );
    expect(badPool.message).toMatch(/retention 'eventually'/);
    for (const labelText of TAPES) {
      await ok(
        (await admin.trpc.tapeDrive.label.mutate({ drive: 'drive1', labelText, pool: 'pool1' })).taskId,
      );
    }
    const slots = await admin.trpc.tapeChanger.status.query({ name: 'lib1' });
    expect(
      slots
        .filter((e) => e.labelText !== undefined)
        .map((e) => e.labelText)
        .sort(),
    ).toEqual(TAPES);
    expect(slots.find((e) => e.entryKind === 'drive')?.driveName).toBe('drive1');
    expect(slots.filter((e) => e.entryKind === 'import-export').map((e) => e.entryId)).toEqual([6]);

    await admin.trpc.tapeJob.create.mutate({
      id: 'nightly',
      store,
      pool: 'pool1',
      drive: 'drive1',
      schedule: 'daily',
      ejectMedia: true,
    });
    const jobs = await admin.trpc.tapeJob.list.query();
    expect(jobs.items[0]).toMatchObject({ id: 'nightly', nextMedia: 'TAPE01' });
    const log = await ok((await admin.trpc.tapeJob.run.mutate({ id: 'nightly' })).taskId);
    expect(log.some((l) => l.includes("media 'TAPE01' is full"))).toBe(true);
    expect(log.some((l) => l.includes('media ejected'))).toBe(true);
    expect((await admin.trpc.tapeJob.list.query()).items[0]?.status.lastRunState).toBe('ok');

    const media = await admin.trpc.tapeMedia.list.query({ pool: 'pool1' });
    const used = media
      .filter((m) => m.mediaSetUuid !== undefined)
      .sort((a, b) => (a.seqNr ?? 0) - (b.seqNr ?? 0));
    expect(used.length).toBeGreaterThanOrEqual(2);
    expect(used[0]).toMatchObject({
      labelText: 'TAPE01',
      status: 'full',
      location: 'online-lib1',
      catalog: true,
    });
    const mediaSet = used[0]?.mediaSetUuid ?? '';
    const sets = await admin.trpc.tapeMedia.mediaSets.query();
    expect(sets.map((s) => s.mediaSetUuid)).toEqual([mediaSet]);
    const content = await admin.trpc.tapeMedia.content.query({ mediaSet });
    expect(content.map((c) => c.snapshot).sort()).toEqual([
      'host/web/2023-11-14T22:13:20Z',
      'ns/prod/ct/200/2023-11-14T22:16:40Z',
      'ns/prod/vm/100/2023-11-14T22:15:00Z',
    ]);
    const rest = data<Record<string, unknown>[]>(
      await admin.rest.get('/tape/media/content', { 'media-set': mediaSet }),
    );
    expect(rest).toHaveLength(3);
    expect(rest[0]).toHaveProperty('label-text');
    expect(rest[0]).toHaveProperty('media-set-uuid', mediaSet);
    const drives = data<Record<string, unknown>[]>(await admin.rest.get('/config/drive'));
    expect(drives).toEqual([expect.objectContaining({ name: 'drive1', changer: 'lib1', kind: 'virtual' })]);
    expect(
      data(await admin.rest.post('/config/media-pool', { name: 'pool9', retention: '2 weeks' })),
    ).toBeNull();
    expect(data(await admin.rest.get('/config/media-pool/pool9'))).toMatchObject({ retention: '2 weeks' });
    const status = data<Record<string, unknown>>(await admin.rest.get('/tape/drive/drive1/status'));
    expect(status).toMatchObject({ name: 'drive1', loaded: null, capacity: 8 * 262144 });

    const restoreLog = await ok(
      (
        await admin.trpc.tape.restore.mutate({
          drive: 'drive1',
          mediaSet,
          store,
          namespaces: [{ store, source: '', target: 'restored' }],
        })
      ).taskId,
    );
    expect(restoreLog.some((l) => l.includes('restore finished: 3 snapshots'))).toBe(true);
    const restored = await admin.trpc.snapshot.list.query({ store, ns: 'restored/prod' });
    expect(restored.items.map((s) => `${s.type}/${s.id}`).sort()).toEqual(['ct/200', 'vm/100']);
    const verify = await runVerify(ds, { ...silentContext(), upid: 'UPID:t' }, { ns: 'restored' });
    expect(verify).toMatchObject({ failedSnapshots: [], verifiedSnapshots: 3 });
  });

  it('a Tape.Audit user sees drives and media but cannot label, run or restore', async () => {
    const auditor = await userWithRole(server, 'auditor@pbs', [{ path: '/tape', role: 'TapeAudit' }]);
    expect((await auditor.trpc.tapeDrive.list.query()).items.map((d) => d.name)).toEqual(['drive1']);
    expect((await auditor.trpc.tapeMedia.list.query({})).length).toBe(3);
    const label = await trpcFailure(
      auditor.trpc.tapeDrive.label.mutate({ drive: 'drive1', labelText: 'EVIL01' }),
    );
    expect(label.code).toBe('FORBIDDEN');
    const run = await trpcFailure(auditor.trpc.tapeJob.run.mutate({ id: 'nightly' }));
    expect(run.code).toBe('FORBIDDEN');
  });

  it('encryption keys: create, list without the key, paper key export, encrypted pool backup and restore', async () => {
    const { fingerprint } = await admin.trpc.tapeKey.create.mutate({
      password: 'tape-password',
      hint: 'usual',
    });
    const keys = await admin.trpc.tapeKey.list.query();
    expect(keys).toEqual([expect.objectContaining({ fingerprint, hint: 'usual' })]);
    expect(JSON.stringify(keys)).not.toContain('"key"');
    const paper = await admin.trpc.tapeKey.keyConfig.query({ fingerprint });
    expect(JSON.parse(paper.keyConfig)).toMatchObject({ fingerprint, kdf: expect.anything() as unknown });
    const missing = await trpcFailure(
      admin.trpc.tapePool.create.mutate({ name: 'secret', encrypt: fingerprint.replace(/^../, '00') }),
    );
    expect(missing.app).toBe('NOT_FOUND');
    await admin.trpc.tapePool.create.mutate({ name: 'secret', encrypt: fingerprint });
    await ok(
      (await admin.trpc.tapeDrive.label.mutate({ drive: 'drive1', labelText: 'SECRET1', pool: 'secret' }))
        .taskId,
    );
    await ok(
      (await admin.trpc.tapeDrive.label.mutate({ drive: 'drive1', labelText: 'SECRET2', pool: 'secret' }))
        .taskId,
    );
    const log = await ok(
      (
        await admin.trpc.tape.backup.mutate({
          store,
          pool: 'secret',
          drive: 'drive1',
          ns: 'prod',
          latestOnly: true,
        })
      ).taskId,
    );
    expect(log.some((l) => l.includes('drive encryption on'))).toBe(true);
    const set = (await admin.trpc.tapeMedia.list.query({ pool: 'secret' })).find((m) => m.seqNr === 0);
    await admin.trpc.tapeKey.remove.mutate({ fingerprint });
    const refused = await admin.trpc.tape.restore.mutate({
      drive: 'drive1',
      mediaSet: set?.mediaSetUuid ?? '',
      store,
      namespaces: [{ store, source: 'prod', target: 'decrypted' }],
    });
    const status = await waitTask(server.services, refused.taskId);
    expect(status.state).toBe('error');
    expect(status.status).toContain(`encrypted with tape key ${fingerprint}`);
    await admin.trpc.tapeKey.restore.mutate({ keyConfig: paper.keyConfig, password: 'tape-password' });
    await ok(
      (
        await admin.trpc.tape.restore.mutate({
          drive: 'drive1',
          mediaSet: set?.mediaSetUuid ?? '',
          store,
          namespaces: [{ store, source: 'prod', target: 'decrypted' }],
        })
      ).taskId,
    );
    const back = await admin.trpc.snapshot.list.query({ store, ns: 'decrypted' });
    expect(back.items.map((s) => `${s.type}/${s.id}`).sort()).toEqual(['ct/200', 'vm/100']);
  });

  it('the scheduler runs the tape backup job when it is due; it appends to the set and skips what is there', async () => {
    const { scheduler } = server.services;
    const startedJobs = async () => {
      const upids = await scheduler.tick();
      return Object.fromEntries(upids.map((u) => [u.split(':')[6] ?? '', u]));
    };
    await startedJobs(); // first sight of jobs whose state was never recorded
    offsetMs += 2 * 86_400_000;
    admin = await adminActor(server);
    const due = await startedJobs();
    const upid = due['tape-backup-job'] ?? '';
    expect(upid).toMatch(/:tape-backup-job:nightly:root@pam:$/);
    const log = await ok(upid);
    expect(log).toContain("task triggered by schedule 'daily'");
    expect(log.filter((l) => l.includes('already on the media set'))).toHaveLength(3);
  });

  it('a media set whose tape was swapped fails the restore task naming both labels', async () => {
    const tapeDir = path.join(server.dataDir, 'tapes');
    const set = (await admin.trpc.tapeMedia.mediaSets.query())[0];
    const first = set?.media[0] ?? '';
    // the cartridge labelled TAPE01 now holds TAPE03's content
    for (const name of await fs.readdir(tapeDir)) {
      const m = /^tapefile-(\d+)-(.+)\.json$/.exec(name);
      if (m?.[2] === first) await fs.rm(path.join(tapeDir, name));
    }
    for (const name of await fs.readdir(tapeDir)) {
      const m = /^tapefile-(\d+)-(.+)\.json$/.exec(name);
      if (m?.[2] === 'TAPE03')
        await fs.copyFile(path.join(tapeDir, name), path.join(tapeDir, `tapefile-${m[1]}-${first}.json`));
    }
    await fs.copyFile(path.join(tapeDir, 'tape-TAPE03.json'), path.join(tapeDir, `tape-${first}.json`));
    const { taskId } = await admin.trpc.tape.restore.mutate({
      drive: 'drive1',
      mediaSet: set?.mediaSetUuid ?? '',
      store,
      namespaces: [{ store, source: '', target: 'again' }],
    });
    const status = await waitTask(server.services, taskId);
    expect(status.state).toBe('error');
    expect(status.status).toMatch(
      new RegExp(`wrong media in drive 'drive1': expected '${first}'.*found 'TAPE03'`),
    );
  });
});
