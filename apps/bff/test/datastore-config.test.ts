/**
 * Datastore configuration over tRPC and REST (/config/datastore): creation as a task, field
 * validation, digests, maintenance modes, removal with and without jobs, ACLs and data, and the
 * usage history.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskProgress } from '@pbs/api-types';
import { makeScratchDir } from '@pbs/datastore/testing';
import type { TestServer } from './harness.js';
import { startServer } from './fixtures.js';
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

const HOUR_MS = 3600_000;

describe('datastore configuration', () => {
  let server: TestServer & { dataDir: string };
  let admin: Actor;
  let offsetMs = 0;
  const scratch: string[] = [];
  let dir1 = '';
  let dir2 = '';

  beforeAll(async () => {
    server = await startServer({ http: true, clock: { now: () => Date.now() + offsetMs } });
    admin = await adminActor(server);
    dir1 = await makeScratchDir('pbs-cfg1-');
    dir2 = await makeScratchDir('pbs-cfg2-');
    scratch.push(dir1, dir2);
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    for (const dir of scratch) await fs.rm(dir, { recursive: true, force: true });
  });

  it('creates a datastore as a task over tRPC; it is configured only once the task ends, keep options become a prune job', async () => {
    const { taskId } = await admin.trpc.datastore.create.mutate({
      name: 'cfg1',
      path: dir1,
      comment: 'first store',
      gcSchedule: 'daily',
      pruneSchedule: 'hourly',
      keepLast: 3,
      keepDaily: 7,
    });
    expect(taskId).toMatch(
      /^UPID:[^:]+:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:create-datastore:cfg1:admin@pbs:$/,
    );

    const progress: TaskProgress[] = [];
    const followed = (async () => {
      for await (const event of server.services.tasks.follow(taskId, 0)) {
        if (event.kind === 'progress') progress.push(event.progress);
      }
    })();

    // Creating 65,536 chunk directories takes a while: meanwhile the store is listed as being created.
    const during = await admin.trpc.datastore.list.query();
    expect(during.find((d) => d.store === 'cfg1')).toMatchObject({ creating: true });
    const early = await trpcFailure(admin.trpc.datastore.get.query({ store: 'cfg1' }));
    expect(early.app).toBe('NOT_FOUND');

    await followed;
    const end = await waitTask(server.services, taskId);
    expect(end.status).toBe('OK');
    // Real progress, not only log lines: prefix directories done of 65,536.
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ phase: 'creating chunk store', itemsTotal: 65_536 });
    const log = await taskLog(server.services, taskId);
    expect(log[0]).toContain(`creating datastore 'cfg1' on '${dir1}'`);
    expect(log).toContain('creating chunk store with 65536 prefix directories');
    expect(log.some((l) => /created prune job 'default-cfg1-/.test(l))).toBe(true);
    expect(log).toContain("datastore 'cfg1' is ready");

    const list = await admin.trpc.datastore.list.query();
    expect(list.find((d) => d.store === 'cfg1')).toEqual({
      store: 'cfg1',
      comment: 'first store',
      backendType: 'filesystem',
      creating: false,
    });
    const { config, digest } = await admin.trpc.datastore.get.query({ store: 'cfg1' });
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(config).toMatchObject({ name: 'cfg1', path: dir1, comment: 'first store', gcSchedule: 'daily' });
    // PBS moves keep options and the prune schedule out of datastore.cfg into the prune job.
    expect(config).not.toHaveProperty('keepLast');
    expect(config).not.toHaveProperty('pruneSchedule');

    const jobs = await admin.trpc.pruneJob.list.query({ store: 'cfg1' });
    expect(jobs.items).toHaveLength(1);
    const job = jobs.items[0];
    expect(job?.id).toMatch(/^default-cfg1-[0-9a-f-]+$/);
    expect(job?.id.length).toBeLessThanOrEqual(32);
    expect(job).toMatchObject({ store: 'cfg1', schedule: 'hourly', keepLast: 3, keepDaily: 7 });

    // The layout is complete on disk.
    for (const entry of ['.lock', '.chunks/0000', '.chunks/ffff']) {
      await expect(fs.stat(path.join(dir1, entry))).resolves.toBeTruthy();
    }
  });

  it('creates a datastore over REST POST /config/datastore, which answers with the task UPID', async () => {
    const reply = await admin.rest.post('/config/datastore', {
      name: 'cfg2',
      path: dir2,
      comment: 'second store',
      'gc-schedule': 'sat 03:00',
    });
    const upid = data<string>(reply);
    expect(upid).toMatch(/:create-datastore:cfg2:admin@pbs:$/);
    const status = await admin.rest.get(`/nodes/localhost/tasks/${encodeURIComponent(upid)}/status`);
    expect(data<{ upid: string }>(status).upid).toBe(upid);
    expect((await waitTask(server.services, upid)).status).toBe('OK');
    const log = await admin.rest.get(`/nodes/localhost/tasks/${encodeURIComponent(upid)}/log`);
    expect(data<Array<{ t: string }>>(log).some((l) => l.t.endsWith("datastore 'cfg2' is ready"))).toBe(true);

    const configs = data<Array<Record<string, unknown>>>(await admin.rest.get('/config/datastore'));
    expect(configs.find((c) => c.name === 'cfg2')).toMatchObject({
      name: 'cfg2',
      path: dir2,
      comment: 'second store',
      'gc-schedule': 'sat 03:00',
    });
    const one = data<Record<string, unknown>>(await admin.rest.get('/config/datastore/cfg2'));
    expect(one).toMatchObject({ name: 'cfg2', 'gc-schedule': 'sat 03:00' });
    expect(one.digest).toMatch(/^[0-9a-f]{64}$/);
    const admins = data<Array<Record<string, unknown>>>(await admin.rest.get('/admin/datastore'));
    expect(admins.find((d) => d.store === 'cfg2')).toEqual({
      store: 'cfg2',
      comment: 'second store',
      'backend-type': 'filesystem',
      'mount-status': 'nonremovable',
    });
    // No prune schedule: no prune job.
    expect((await admin.trpc.pruneJob.list.query({ store: 'cfg2' })).items).toEqual([]);
  });

  it('refuses bad input before any task starts, naming the field', async () => {
    const before = await server.services.tasks.list({});
    const occupied = await makeScratchDir('pbs-occupied-');
    scratch.push(occupied);
    await fs.writeFile(path.join(occupied, 'somebody-elses-file'), 'x');
    const create = admin.trpc.datastore.create.mutate;

    const badName = await trpcFailure(create({ name: 'bad name!', path: '' }));
    expect(badName.code).toBe('BAD_REQUEST');
    expect(badName.fieldErrors?.name?.[0]).toBeTruthy();
    const relative = await trpcFailure(create({ name: 'cfg3', path: 'relative/dir' }));
    expect(relative.fieldErrors?.path).toEqual(['path must be absolute']);

    const duplicate = await trpcFailure(create({ name: 'cfg1', path: occupied }));
    expect(duplicate).toMatchObject({ code: 'CONFLICT', app: 'ALREADY_EXISTS', details: { field: 'name' } });
    expect(duplicate.message).toBe("datastore 'cfg1' already exists");

    const notEmpty = await trpcFailure(create({ name: 'cfg3', path: occupied }));
    expect(notEmpty).toMatchObject({ app: 'INVALID_ARGUMENT', details: { field: 'path' } });
    expect(notEmpty.message).toContain("is not empty (found 'somebody-elses-file')");

    const inside = await trpcFailure(create({ name: 'cfg3', path: path.join(dir1, 'nested') }));
    expect(inside).toMatchObject({ app: 'INVALID_ARGUMENT', details: { field: 'path' } });
    expect(inside.message).toContain("overlaps datastore 'cfg1'");
    const around = await trpcFailure(create({ name: 'cfg3', path: path.dirname(dir1) }));
    expect(around.message).toMatch(/overlaps datastore 'cfg[12]'/);

    const schedule = await trpcFailure(create({ name: 'cfg3', path: '', gcSchedule: 'every blue moon' }));
    expect(schedule).toMatchObject({ app: 'INVALID_ARGUMENT', details: { field: 'gcSchedule' } });
    const prune = await trpcFailure(create({ name: 'cfg3', path: '', pruneSchedule: '25:99', keepLast: 1 }));
    expect(prune.details).toEqual({ field: 'pruneSchedule' });

    // The same rules over REST, with PBS's status codes and plain messages.
    const restDuplicate = await admin.rest.post('/config/datastore', { name: 'cfg2', path: occupied });
    expect([restDuplicate.status, restDuplicate.text]).toEqual([409, "datastore 'cfg2' already exists"]);
    const restBadName = await admin.rest.post('/config/datastore', { name: 'x', path: occupied });
    expect(restBadName.status).toBe(400);
    const restSchedule = await admin.rest.post('/config/datastore', { name: 'cfg3', 'gc-schedule': 'nope' });
    expect(restSchedule.status).toBe(400);
    expect(restSchedule.text).toMatch(/^gcSchedule: /);

    // Nothing was started or configured.
    expect((await server.services.tasks.list({})).total).toBe(before.total);
    expect((await admin.trpc.datastore.list.query()).map((d) => d.store)).toEqual(['cfg1', 'cfg2']);
  });

  it('updates the config with optimistic digests over tRPC and REST', async () => {
    const { digest } = await admin.trpc.datastore.get.query({ store: 'cfg2' });
    await admin.trpc.datastore.update.mutate({ name: 'cfg2', comment: 'renamed', digest });
    const stale = await trpcFailure(
      admin.trpc.datastore.update.mutate({ name: 'cfg2', comment: 'lost update', digest }),
    );
    expect(stale).toMatchObject({ code: 'PRECONDITION_FAILED', app: 'STALE_REVISION' });
    expect((await admin.trpc.datastore.get.query({ store: 'cfg2' })).config.comment).toBe('renamed');

    const current = data<{ digest: string }>(await admin.rest.get('/config/datastore/cfg2')).digest;
    const ok = await admin.rest.put('/config/datastore/cfg2', {
      'gc-schedule': 'daily',
      delete: 'comment',
      digest: current,
    });
    expect(data(ok)).toBeNull();
    const restStale = await admin.rest.put('/config/datastore/cfg2', { comment: 'again', digest: current });
    expect(restStale.status).toBe(412);
    const after = data<Record<string, unknown>>(await admin.rest.get('/config/datastore/cfg2'));
    expect(after).not.toHaveProperty('comment');
    expect(after['gc-schedule']).toBe('daily');

    const badSchedule = await admin.rest.put('/config/datastore/cfg2', { 'gc-schedule': 'whenever' });
    expect(badSchedule.status).toBe(400);
    const missing = await trpcFailure(admin.trpc.datastore.update.mutate({ name: 'nosuch', comment: 'x' }));
    expect(missing.app).toBe('NOT_FOUND');

    const gcJobs = await admin.trpc.gc.list.query();
    expect(gcJobs.find((j) => j.store === 'cfg2')?.schedule).toBe('daily');
  });

  it('enforces maintenance modes: read-only blocks writes, offline blocks reads, both with the message', async () => {
    const ds = await openStore(server, 'cfg1');
    await seed(ds, [{ type: 'vm', id: '100', time: 1_700_000_000, authId: 'admin@pbs' }]);

    const set = await admin.rest.put('/config/datastore/cfg1', {
      'maintenance-mode': 'type=read-only,message="disk swap"',
    });
    expect(data(set)).toBeNull();
    expect((await admin.trpc.datastore.get.query({ store: 'cfg1' })).config.maintenanceMode).toEqual({
      type: 'read-only',
      message: 'disk swap',
    });
    const listed = data<Array<Record<string, unknown>>>(await admin.rest.get('/admin/datastore'));
    // PBS's property-string form, type as the default key (its UI parses both spellings).
    expect(listed.find((d) => d.store === 'cfg1')?.maintenance).toMatch(
      /^(type=)?read-only,message="?disk swap"?$/,
    );

    // Reads still work.
    expect(await admin.trpc.group.list.query({ store: 'cfg1' })).toHaveLength(1);
    expect((await admin.trpc.snapshot.list.query({ store: 'cfg1' })).total).toBe(1);
    // Writes are refused, naming the mode and the message.
    const message = "datastore 'cfg1' is in maintenance mode 'read-only': disk swap";
    const create = await trpcFailure(admin.trpc.namespace.create.mutate({ store: 'cfg1', name: 'a' }));
    expect(create).toMatchObject({ code: 'CONFLICT', app: 'BUSY', message });
    const gc = await trpcFailure(admin.trpc.gc.run.mutate({ store: 'cfg1' }));
    expect(gc).toMatchObject({ app: 'BUSY', message });
    const protect = await trpcFailure(
      admin.trpc.snapshot.setProtected.mutate({
        store: 'cfg1',
        snapshot: { type: 'vm', id: '100', time: 1_700_000_000 },
        protected: true,
      }),
    );
    expect(protect.app).toBe('BUSY');
    const restCreate = await admin.rest.post('/admin/datastore/cfg1/namespace', { name: 'a' });
    expect([restCreate.status, restCreate.text]).toEqual([409, message]);
    const prune = await trpcFailure(admin.trpc.prune.run.mutate({ store: 'cfg1', ns: '', keepLast: 1 }));
    expect(prune.app).toBe('BUSY');

    await admin.trpc.datastore.update.mutate({ name: 'cfg1', maintenanceMode: { type: 'offline' } });
    const offline = "datastore 'cfg1' is in maintenance mode 'offline'";
    expect(await trpcFailure(admin.trpc.group.list.query({ store: 'cfg1' }))).toMatchObject({
      app: 'BUSY',
      message: offline,
    });
    expect((await trpcFailure(admin.trpc.snapshot.list.query({ store: 'cfg1' }))).app).toBe('BUSY');
    const restGroups = await admin.rest.get('/admin/datastore/cfg1/groups');
    expect([restGroups.status, restGroups.text]).toEqual([409, offline]);
    const verify = await trpcFailure(admin.trpc.verify.run.mutate({ store: 'cfg1' }));
    expect(verify.app).toBe('BUSY');
    // The config itself stays readable and editable.
    expect((await admin.trpc.datastore.get.query({ store: 'cfg1' })).config.maintenanceMode?.type).toBe(
      'offline',
    );

    await admin.trpc.datastore.update.mutate({ name: 'cfg1', delete: ['maintenanceMode'] });
    expect(await admin.trpc.namespace.create.mutate({ store: 'cfg1', name: 'after' })).toEqual({
      ns: 'after',
    });
  });

  it('records the usage history and estimates the full date (tRPC and /status/datastore-usage)', async () => {
    const usage = server.services.usageHistory;
    await usage.record('cfg1', { total: 1000, used: 100 });
    offsetMs += HOUR_MS;
    await usage.record('cfg1', { total: 1000, used: 200 });
    offsetMs += HOUR_MS;
    await usage.record('cfg1', { total: 1000, used: 300 });
    admin = await adminActor(server); // two hours later: the old ticket has expired

    const history = await admin.trpc.datastore.usage.query({ store: 'cfg1' });
    expect(history.points.map((p) => [p.total, p.used])).toEqual([
      [1000, 100],
      [1000, 200],
      [1000, 300],
    ]);
    // +100 bytes per hour from 300 of 1000 at the last point: full about 7 hours later.
    const last = history.points[2]?.time ?? 0;
    expect(history.estimatedFullDate).not.toBeNull();
    expect(Math.abs((history.estimatedFullDate ?? 0) - (last + 7 * 3600))).toBeLessThanOrEqual(1);

    const rest = data<Array<Record<string, unknown>>>(await admin.rest.get('/status/datastore-usage'));
    const cfg1 = rest.find((r) => r.store === 'cfg1');
    expect(cfg1).toMatchObject({
      store: 'cfg1',
      history: [0.1, 0.2, 0.3],
      'estimated-full-date': history.estimatedFullDate,
      'backend-type': 'filesystem',
      'mount-status': 'nonremovable',
    });
    expect(cfg1?.total).toBeGreaterThan(0);
    expect(rest.map((r) => r.store)).toEqual(['cfg1', 'cfg2']);

    // An auditor of one store sees only that store.
    const auditor = await userWithRole(server, 'usage-audit@pbs', [
      { path: '/datastore/cfg2', role: 'DatastoreAudit' },
    ]);
    const seen = data<Array<{ store: string }>>(await auditor.rest.get('/status/datastore-usage'));
    expect(seen.map((r) => r.store)).toEqual(['cfg2']);
    expect((await trpcFailure(auditor.trpc.datastore.usage.query({ store: 'cfg1' }))).code).toBe('FORBIDDEN');
    expect((await trpcFailure(admin.trpc.datastore.usage.query({ store: 'nosuch' }))).app).toBe('NOT_FOUND');
  });

  it('lets a DatastoreAdmin of one store edit its config but neither create nor remove stores', async () => {
    const storeAdmin = await userWithRole(server, 'store-admin@pbs', [
      { path: '/datastore/cfg1', role: 'DatastoreAdmin' },
    ]);
    expect((await storeAdmin.trpc.datastore.list.query()).map((d) => d.store)).toEqual(['cfg1']);
    expect(
      data<Array<{ name: string }>>(await storeAdmin.rest.get('/config/datastore')).map((c) => c.name),
    ).toEqual(['cfg1']);
    await storeAdmin.trpc.datastore.update.mutate({ name: 'cfg1', comment: 'by the store admin' });
    expect((await storeAdmin.trpc.datastore.get.query({ store: 'cfg1' })).config.comment).toBe(
      'by the store admin',
    );
    for (const attempt of [
      () => storeAdmin.trpc.datastore.get.query({ store: 'cfg2' }),
      () => storeAdmin.trpc.datastore.update.mutate({ name: 'cfg2', comment: 'x' }),
      () => storeAdmin.trpc.datastore.remove.mutate({ name: 'cfg1' }),
      () => storeAdmin.trpc.datastore.create.mutate({ name: 'cfg9', path: '' }),
    ]) {
      expect((await trpcFailure(attempt())).code).toBe('FORBIDDEN');
    }
    expect((await storeAdmin.rest.del('/config/datastore/cfg1')).status).toBe(403);
    expect((await storeAdmin.rest.post('/config/datastore', { name: 'cfg9' })).status).toBe(403);
    expect((await admin.trpc.datastore.get.query({ store: 'cfg1' })).config.maintenanceMode).toBeUndefined();
  });

  it('removes a datastore as a task: config, jobs and ACL entries go, the data stays unless destroyed', async () => {
    const ds = await openStore(server, 'cfg2');
    await seed(ds, [{ type: 'host', id: 'kept', time: 1_700_000_000, authId: 'admin@pbs' }]);
    const jobs = async () => ({
      prune: (await admin.trpc.pruneJob.list.query({ store: 'cfg2' })).items.map((j) => j.id),
      verify: (await admin.trpc.verifyJob.list.query({ store: 'cfg2' })).items.map((j) => j.id),
    });
    const addJobsAndAcl = async () => {
      await admin.trpc.pruneJob.create.mutate({
        id: 'cfg2-prune',
        store: 'cfg2',
        schedule: 'daily',
        keepLast: 1,
      });
      await admin.trpc.verifyJob.create.mutate({ id: 'cfg2-verify', store: 'cfg2' });
      await admin.trpc.acl.update.mutate({
        path: '/datastore/cfg2',
        role: 'DatastoreAudit',
        authId: 'usage-audit@pbs',
      });
      await admin.trpc.acl.update.mutate({
        path: '/datastore/cfg2/ns1',
        role: 'DatastoreBackup',
        authId: 'usage-audit@pbs',
      });
    };
    await admin.trpc.acl.update.mutate({
      path: '/datastore/cfg1',
      role: 'DatastoreAudit',
      authId: 'usage-audit@pbs',
    });
    await addJobsAndAcl();
    await admin.trpc.pruneJob.create.mutate({
      id: 'cfg1-prune',
      store: 'cfg1',
      schedule: 'daily',
      keepLast: 1,
    });
    expect(await jobs()).toEqual({ prune: ['cfg2-prune'], verify: ['cfg2-verify'] });

    // A stale digest is refused before the task starts.
    const stale = await admin.rest.del('/config/datastore/cfg2', { digest: '0'.repeat(64) });
    expect(stale.status).toBe(412);
    expect((await admin.trpc.datastore.get.query({ store: 'cfg2' })).config.name).toBe('cfg2');
    const unknown = await trpcFailure(admin.trpc.datastore.remove.mutate({ name: 'nosuch' }));
    expect(unknown.app).toBe('NOT_FOUND');

    const gcState = path.join(server.services.layout.lib, 'jobstates', 'garbage_collection-cfg2.json');
    await expect(fs.stat(gcState)).resolves.toBeTruthy(); // written when gc.list showed the schedule
    const { taskId } = await admin.trpc.datastore.remove.mutate({ name: 'cfg2' });
    expect(taskId).toMatch(/:delete-datastore:cfg2:admin@pbs:$/);
    expect((await waitTask(server.services, taskId)).status).toBe('OK');
    const log = await taskLog(server.services, taskId);
    expect(log).toContain("removed the jobs and 2 permission entries of 'cfg2'");
    expect(log).toContain(`the data in '${dir2}' was left in place`);
    expect((await trpcFailure(admin.trpc.datastore.get.query({ store: 'cfg2' }))).app).toBe('NOT_FOUND');
    expect((await admin.trpc.datastore.list.query()).map((d) => d.store)).toEqual(['cfg1']);
    const acl = await admin.trpc.acl.list.query({});
    expect(acl.items.filter((a) => a.path.startsWith('/datastore/cfg2'))).toEqual([]);
    expect(acl.items.some((a) => a.path === '/datastore/cfg1' && a.ugid === 'usage-audit@pbs')).toBe(true);
    expect((await admin.trpc.pruneJob.list.query({})).items.map((j) => j.id)).toContain('cfg1-prune');
    expect((await admin.trpc.pruneJob.list.query({})).items.map((j) => j.store)).not.toContain('cfg2');
    expect((await admin.trpc.verifyJob.list.query({})).items).toEqual([]);
    await expect(fs.stat(gcState)).rejects.toThrow(/ENOENT/);
    await expect(fs.stat(path.join(dir2, '.chunks'))).resolves.toBeTruthy();
    await expect(fs.stat(path.join(dir2, 'host', 'kept'))).resolves.toBeTruthy();

    // The data left in place is taken over again with reuse-datastore (no new chunk dirs).
    const reuse = await admin.rest.post('/config/datastore', {
      name: 'cfg2',
      path: dir2,
      'reuse-datastore': 1,
    });
    const reused = data<string>(reuse);
    expect((await waitTask(server.services, reused)).status).toBe('OK');
    expect(await taskLog(server.services, reused)).toContain('reusing the existing datastore directory');
    expect((await admin.trpc.group.list.query({ store: 'cfg2' })).map((g) => g.id)).toEqual(['kept']);

    // Removal over REST keeping the jobs, destroying the data.
    await addJobsAndAcl();
    const digest = (await admin.trpc.datastore.get.query({ store: 'cfg2' })).digest;
    const removal = await admin.rest.del('/config/datastore/cfg2', {
      'keep-job-configs': 1,
      'destroy-data': 1,
      digest,
    });
    const upid = data<string>(removal);
    expect((await waitTask(server.services, upid)).status).toBe('OK');
    expect(await taskLog(server.services, upid)).toContain(`destroying all data in '${dir2}'`);
    await expect(fs.stat(dir2)).rejects.toThrow(/ENOENT/);
    expect(await jobs()).toEqual({ prune: ['cfg2-prune'], verify: ['cfg2-verify'] });
    const aclAfter = await server.services.access.listAcl({ path: '/datastore/cfg2' });
    expect(aclAfter.items.length).toBe(2);

    // The other store is untouched.
    expect((await admin.trpc.group.list.query({ store: 'cfg1' })).map((g) => g.id)).toEqual(['100']);
  });
});
