/**
 * S3 endpoints and datastores on S3 through the server's APIs, against a real S3-protocol server
 * (s3rver over TLS, pinned by fingerprint): endpoint CRUD with a write-only secret, digests and
 * validation, connection checks and bucket listing, an S3 datastore created over REST, backed up
 * and restored with the client CLI, garbage-collected and verified, its counters and cost, a
 * second server refused by the in-use marker and taking over with reuse + overwrite + s3-refresh,
 * and removal keeping or destroying the objects.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeysWithSdk, makeSdkClient, startS3Server, type S3TestServer } from '@pbs/storage/testing';
import type { TestServer } from './harness.js';
import { ADMIN_PASSWORD, startServer, tempDir } from './fixtures.js';
import { adminActor, data, taskLog, trpcFailure, waitTask, type Actor } from './datastore-helpers.js';
import { cliRunner, type CliRunner } from './client-cli.js';

const STORE = 's3store';
const ENDPOINT = 'local-s3';
const MiB = 1024 * 1024;
const sha = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

type Server = TestServer & { dataDir: string };

describe('S3 endpoints and datastores', () => {
  let s3: S3TestServer;
  let server: Server;
  let admin: Actor;
  let work: string;
  const cleanup: string[] = [];

  const endpointConfig = () => {
    const { endpoint, port, region, accessKey, secretKey, fingerprint, pathStyle } = s3.config();
    return { endpoint, port, region, accessKey, secretKey, fingerprint, pathStyle };
  };
  const objectKeys = (prefix: string) => listKeysWithSdk(makeSdkClient(s3), s3.bucket, prefix);

  // on disk: /dev/shm's inodes are shared with every other test run on this machine
  async function scratch(prefix: string): Promise<string> {
    const dir = await tempDir(prefix);
    cleanup.push(dir);
    return dir;
  }

  async function createS3Store(
    who: Actor,
    svc: Server,
    opts: Record<string, string | boolean | undefined> = {},
  ): Promise<{ upid: string; state: string; log: string[] }> {
    const cache = await scratch(`pbs-s3cache-`);
    const reply = await who.rest.post('/config/datastore', {
      name: STORE,
      path: cache,
      backend: `type=s3,client=${ENDPOINT},bucket=${s3.bucket}`,
      ...opts,
    });
    const upid = data<string>(reply);
    const status = await waitTask(svc.services, upid);
    return { upid, state: status.state, log: await taskLog(svc.services, upid) };
  }

  beforeAll(async () => {
    s3 = await startS3Server({ bucket: 'pbs-bucket' });
    server = await startServer();
    admin = await adminActor(server);
    work = await tempDir('pbs-s3-test-');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await s3?.close();
    for (const dir of [server?.dataDir, work, ...cleanup]) {
      if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
    }
  });

  describe('endpoints', () => {
    it('creates, lists and reads an endpoint; the secret key is stored 0600 and never returned', async () => {
      await admin.trpc.s3Endpoint.create.mutate({ id: ENDPOINT, ...endpointConfig(), comment: 'loopback' });

      const list = await admin.trpc.s3Endpoint.list.query();
      expect(list.items.map((e) => e.id)).toEqual([ENDPOINT]);
      expect(list.items[0]).toMatchObject({ endpoint: '127.0.0.1', port: s3.port, pathStyle: true });
      const got = await admin.trpc.s3Endpoint.get.query({ id: ENDPOINT });
      expect(got.endpoint).not.toHaveProperty('secretKey');
      const restList = await admin.rest.get('/config/s3');
      const restItem = await admin.rest.get(`/config/s3/${ENDPOINT}`);
      expect(data<Record<string, unknown>>(restItem)).toMatchObject({
        id: ENDPOINT,
        'access-key': s3.accessKey,
        'path-style': true,
      });
      // (s3rver's secret equals its access key, so the check is on the field)
      for (const text of [JSON.stringify(list), JSON.stringify(got), restList.text, restItem.text]) {
        expect(text).not.toMatch(/secret/i);
      }

      const file = path.join(server.dataDir, 'etc', 's3.cfg');
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      const text = await fs.readFile(file, 'utf8');
      expect(text).toContain(`s3-endpoint: ${ENDPOINT}\n`);
      expect(text).toContain(`\tsecret-key ${s3.secretKey}\n`);
    });

    it('refuses duplicates, invalid fields and stale digests; updates keep the secret', async () => {
      const dup = await trpcFailure(
        admin.trpc.s3Endpoint.create.mutate({ id: ENDPOINT, ...endpointConfig() }),
      );
      expect(dup.app).toBe('ALREADY_EXISTS');

      const invalid = await trpcFailure(
        admin.trpc.s3Endpoint.create.mutate({
          ...endpointConfig(),
          id: 'x',
          endpoint: 'http://plain.example.com',
          fingerprint: 'aa:bb',
          region: 'US WEST',
        }),
      );
      expect(invalid.code).toBe('BAD_REQUEST');
      expect(Object.keys(invalid.fieldErrors ?? {}).sort()).toEqual(
        ['endpoint', 'fingerprint', 'id', 'region'].sort(),
      );

      const restInvalid = await admin.rest.post('/config/s3', {
        id: 'rest-bad',
        endpoint: 's3.example.com',
        'access-key': 'a',
        'secret-key': 'b',
        port: 'not-a-port',
      });
      expect(restInvalid.status).toBe(400);
      expect(restInvalid.text).toContain('port');

      const { digest } = await admin.trpc.s3Endpoint.get.query({ id: ENDPOINT });
      await admin.trpc.s3Endpoint.update.mutate({ id: ENDPOINT, comment: 'changed', digest });
      const stale = await trpcFailure(
        admin.trpc.s3Endpoint.update.mutate({ id: ENDPOINT, comment: 'lost update', digest }),
      );
      expect(stale.app).toBe('STALE_REVISION');
      const staleRemove = await admin.rest.del(`/config/s3/${ENDPOINT}`, { digest });
      expect(staleRemove.status).toBe(412);

      const put = await admin.rest.put(`/config/s3/${ENDPOINT}`, { delete: 'comment' });
      data(put);
      const after = await admin.trpc.s3Endpoint.get.query({ id: ENDPOINT });
      expect(after.endpoint.comment).toBeUndefined();
      // the secret stayed
      const cfg = await fs.readFile(path.join(server.dataDir, 'etc', 's3.cfg'), 'utf8');
      expect(cfg).toContain(`\tsecret-key ${s3.secretKey}\n`);
      expect(cfg).not.toContain('comment');
    });

    it('checks the connection, lists buckets, and names the cause when the credentials are wrong', async () => {
      const ok = await admin.trpc.s3Endpoint.check.mutate({
        id: ENDPOINT,
        bucket: s3.bucket,
        storePrefix: 'probe',
      });
      expect(ok.ok).toBe(true);
      expect(ok.message).toContain(s3.bucket);
      expect(await objectKeys('probe/')).toEqual([]);

      const buckets = await admin.trpc.s3Endpoint.listBuckets.query({ id: ENDPOINT });
      expect(buckets.map((b) => b.name)).toContain(s3.bucket);
      const restBuckets = data<{ name: string }[]>(
        await admin.rest.get(`/config/s3/${ENDPOINT}/list-buckets`),
      );
      expect(restBuckets.map((b) => b.name)).toContain(s3.bucket);
      data(await admin.rest.put(`/admin/s3/${ENDPOINT}/check`, { bucket: s3.bucket }));

      await admin.trpc.s3Endpoint.create.mutate({
        ...endpointConfig(),
        id: 'wrong-key',
        accessKey: 'UNKNOWNKEY',
      });
      const denied = await trpcFailure(
        admin.trpc.s3Endpoint.check.mutate({ id: 'wrong-key', bucket: s3.bucket }),
      );
      expect(denied.app).toBe('PERMISSION_DENIED');
      expect(denied.message).toContain("check of S3 endpoint 'wrong-key' failed");
      expect(denied.message).toContain(s3.bucket);
      const missing = await trpcFailure(
        admin.trpc.s3Endpoint.check.mutate({ id: ENDPOINT, bucket: 'no-such-bucket' }),
      );
      expect(missing.app).toBe('NOT_FOUND');
      await admin.trpc.s3Endpoint.remove.mutate({ id: 'wrong-key' });
    });
  });

  describe('a datastore on S3', () => {
    let cli: CliRunner;
    let image: Buffer;
    let snapshot = '';

    beforeAll(async () => {
      cli = await cliRunner(server, {
        home: path.join(work, 'home'),
        repository: `admin@pbs@127.0.0.1:${server.port}:${STORE}`,
        password: ADMIN_PASSWORD,
      });
      image = Buffer.concat([randomBytes(3 * 4 * MiB), Buffer.alloc(4 * MiB), randomBytes(1234)]);
      await fs.writeFile(path.join(work, 'disk.img'), image);
    });

    it('is created over REST with backend type=s3 and marks the bucket in use', async () => {
      const created = await createS3Store(admin, server);
      expect(created.state, created.log.join('\n')).toBe('ok');
      const { config } = await admin.trpc.datastore.get.query({ store: STORE });
      expect(config.backend).toEqual({ type: 's3', client: ENDPOINT, bucket: s3.bucket });
      const rest = data<Record<string, unknown>>(await admin.rest.get(`/config/datastore/${STORE}`));
      const backend = String(rest.backend).split(',');
      expect(backend).toContain(`client=${ENDPOINT}`);
      expect(backend).toContain(`bucket=${s3.bucket}`);
      expect(backend[0]).toMatch(/^(type=)?s3$/);
      expect(await objectKeys(`${STORE}/.in-use`)).toEqual([`${STORE}/.in-use`]);
      const list = await admin.trpc.datastore.list.query();
      expect(list.find((d) => d.store === STORE)?.backendType).toBe('s3');
      const inUse = await trpcFailure(admin.trpc.s3Endpoint.remove.mutate({ id: ENDPOINT }));
      expect(inUse.app).toBe('BUSY');
      expect(inUse.message).toContain(STORE);
    }, 120_000);

    it('takes a backup through the CLI, restores it, and keeps the PBS key layout in the bucket', async () => {
      const backup = await cli.run([
        'backup',
        `disk.img:${path.join(work, 'disk.img')}`,
        '--backup-id',
        'box',
        '--backup-time',
        '1700000000',
      ]);
      expect(backup.code, backup.stderr).toBe(0);
      snapshot = 'host/box/2023-11-14T22:13:20Z';
      const keys = await objectKeys(`${STORE}/`);
      expect(keys).toContain(`${STORE}/.cnt/host/box/owner`);
      expect(keys).toContain(`${STORE}/.cnt/host/box/2023-11-14T22:13:20Z/index.json.blob`);
      expect(keys).toContain(`${STORE}/.cnt/host/box/2023-11-14T22:13:20Z/disk.img.fidx`);
      const chunks = keys.filter((k) => k.startsWith(`${STORE}/.chunks/`));
      expect(chunks.length).toBeGreaterThanOrEqual(4);
      for (const key of chunks) expect(key).toMatch(/^s3store\/\.chunks\/[0-9a-f]{4}\/[0-9a-f]{64}$/);

      const target = path.join(work, 'restored.img');
      const restore = await cli.run(['restore', snapshot, 'disk.img', target]);
      expect(restore.code, restore.stderr).toBe(0);
      expect(sha(await fs.readFile(target))).toBe(sha(image));
    }, 120_000);

    it('backs up with --no-cache: new chunks go to the bucket, not the cache, and restore reads them from there', async () => {
      const before = new Set(await objectKeys(`${STORE}/.chunks/`));
      const other = randomBytes(2 * 4 * MiB);
      await fs.writeFile(path.join(work, 'other.img'), other);
      const backup = await cli.run([
        'backup',
        `other.img:${path.join(work, 'other.img')}`,
        '--backup-id',
        'nocache',
        '--no-cache',
      ]);
      expect(backup.code, backup.stderr).toBe(0);
      const added = (await objectKeys(`${STORE}/.chunks/`)).filter((k) => !before.has(k));
      expect(added.length).toBeGreaterThanOrEqual(2);
      const { config } = await admin.trpc.datastore.get.query({ store: STORE });
      // no cached copy: at most the zero-length marker that carries GC's mark
      for (const key of added) {
        const [, , prefix = '', digest = ''] = key.split('/');
        const cached = await fs.stat(path.join(config.path, '.chunks', prefix, digest)).catch(() => null);
        expect(cached?.size ?? 0, `${digest} has no cached copy`).toBe(0);
      }
      const target = path.join(work, 'other-restored.img');
      const restore = await cli.run(['restore', 'host/nocache', 'other.img', target]);
      expect(restore.code, restore.stderr).toBe(0);
      expect(sha(await fs.readFile(target))).toBe(sha(other));
    }, 120_000);

    it('runs GC and verify on the S3 datastore', async () => {
      const gc = await admin.trpc.gc.run.mutate({ store: STORE });
      const gcStatus = await waitTask(server.services, gc.taskId);
      expect(gcStatus.state, (await taskLog(server.services, gc.taskId)).join('\n')).toBe('ok');
      const chunksAfterGc = (await objectKeys(`${STORE}/.chunks/`)).length;
      expect(chunksAfterGc).toBeGreaterThanOrEqual(4);

      const verify = await admin.trpc.verify.run.mutate({ store: STORE, ns: '' });
      const verifyStatus = await waitTask(server.services, verify.taskId);
      expect(verifyStatus.state, (await taskLog(server.services, verify.taskId)).join('\n')).toBe('ok');
      const snaps = (await admin.trpc.snapshot.list.query({ store: STORE, ns: '' })).items;
      expect(snaps.map((s) => s.verification?.state)).toEqual(['ok', 'ok']);
    }, 120_000);

    it('reports request and traffic counters and an estimated monthly cost, persisted under lib/', async () => {
      const status = await admin.trpc.datastore.status.query({ store: STORE });
      expect(status.backendType).toBe('s3');
      const stats = status.s3;
      expect(stats).toMatchObject({ endpoint: ENDPOINT, bucket: s3.bucket });
      expect(stats?.counters.put).toBeGreaterThanOrEqual(5);
      expect(stats?.counters.get).toBeGreaterThan(0);
      expect(stats?.counters.uploaded).toBeGreaterThan(3 * 4 * MiB);
      expect(stats?.cost.storedBytesSource).toBe('gc');
      expect(stats?.cost.total).toBeGreaterThan(0);
      expect(stats?.cost.total).toBeCloseTo(
        (stats?.cost.storage ?? 0) + (stats?.cost.requests ?? 0) + (stats?.cost.egress ?? 0),
        3,
      );

      // prices are editable and change the estimate
      const { digest } = await admin.trpc.s3Endpoint.prices.query();
      await admin.trpc.s3Endpoint.setPrices.mutate({
        currency: 'EUR',
        storageGbMonth: 0,
        putPer1k: 0,
        getPer1k: 0,
        egressGb: 0,
        digest,
      });
      const free = await admin.trpc.datastore.status.query({ store: STORE });
      expect(free.s3?.cost).toMatchObject({ currency: 'EUR', total: 0 });

      const rest = data<Record<string, Record<string, number>>>(
        await admin.rest.get(`/admin/datastore/${STORE}/status`),
      );
      expect(rest['s3-statistics']?.put).toBeGreaterThanOrEqual(stats?.counters.put ?? 0);

      data(
        await admin.rest.put(`/admin/s3/${ENDPOINT}/reset-counters`, {
          bucket: s3.bucket,
          'store-prefix': 'not-this-store',
        }),
      );
      await server.services.s3Clients.statistics.flush();
      const file = path.join(
        server.dataDir,
        'lib',
        's3-statistics',
        `${ENDPOINT}-${s3.bucket}-${STORE}.json`,
      );
      const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { counters: { put: number } };
      expect(saved.counters.put).toBeGreaterThanOrEqual(stats?.counters.put ?? 0);

      // PBS 4.1.7 reset-counters: the datastore's counters start again from zero
      await admin.trpc.s3Endpoint.resetCounters.mutate({
        id: ENDPOINT,
        bucket: s3.bucket,
        storePrefix: STORE,
      });
      const reset = await admin.trpc.datastore.status.query({ store: STORE });
      expect(reset.s3?.counters).toMatchObject({ put: 0, get: 0, uploaded: 0 });
    });

    describe('a second server on the same bucket', () => {
      let second: Server;
      let other: Actor;

      beforeAll(async () => {
        second = await startServer();
        other = await adminActor(second);
        await other.trpc.s3Endpoint.create.mutate({ id: ENDPOINT, ...endpointConfig() });
      });
      afterAll(async () => {
        await second?.close();
        if (second !== undefined) await fs.rm(second.dataDir, { recursive: true, force: true });
      });

      it('is refused while the in-use marker is present, also when reusing', async () => {
        for (const opts of [{}, { 'reuse-datastore': true }]) {
          const refused = await createS3Store(other, second, opts);
          expect(refused.state).toBe('error');
          const status = second.services.tasks.status(refused.upid);
          expect((await status).status).toMatch(/in use by host/);
        }
        expect((await other.trpc.datastore.list.query()).map((d) => d.store)).toEqual([]);
      }, 120_000);

      it('takes over with reuse and overwrite: the refresh reproduces the snapshots', async () => {
        const taken = await createS3Store(other, second, {
          'reuse-datastore': true,
          'overwrite-in-use': true,
        });
        expect(taken.state, taken.log.join('\n')).toBe('ok');
        expect(taken.log.join('\n')).toMatch(/refreshed \d+ files/);
        const snaps = (await other.trpc.snapshot.list.query({ store: STORE, ns: '' })).items;
        expect(snaps.map((s) => `${s.type}/${s.id}`).sort()).toEqual(['host/box', 'host/nocache']);
        const { config } = await other.trpc.datastore.get.query({ store: STORE });
        expect(config.maintenanceMode).toBeUndefined();
      }, 120_000);

      it('refreshes again over REST in maintenance mode s3-refresh, then clears it', async () => {
        const upid = data<string>(await other.rest.put(`/admin/datastore/${STORE}/s3-refresh`));
        expect(upid).toContain(':s3-refresh:');
        const status = await waitTask(second.services, upid);
        expect(status.state, (await taskLog(second.services, upid)).join('\n')).toBe('ok');
        const { config } = await other.trpc.datastore.get.query({ store: STORE });
        expect(config.maintenanceMode).toBeUndefined();
        const snaps = (await other.trpc.snapshot.list.query({ store: STORE, ns: '' })).items;
        expect(snaps).toHaveLength(2);

        const fsStore = await trpcFailure(other.trpc.datastore.s3Refresh.mutate({ store: 'nope-store' }));
        expect(fsStore.app).toBe('NOT_FOUND');
      }, 120_000);

      it('removal without destroy-data leaves the objects and drops only the marker', async () => {
        const { taskId } = await other.trpc.datastore.remove.mutate({ name: STORE });
        expect((await waitTask(second.services, taskId)).state).toBe('ok');
        const keys = await objectKeys(`${STORE}/`);
        expect(keys).not.toContain(`${STORE}/.in-use`);
        expect(keys).toContain(`${STORE}/.cnt/host/box/owner`);
      });
    });

    it('removes a datastore whose S3 endpoint is gone from the configuration, leaving the bucket alone', async () => {
      const dir = await scratch('pbs-s3-orphan-');
      await server.services.datastores.config.create({
        name: 'orphan',
        path: dir,
        backend: { type: 's3', client: 'vanished', bucket: s3.bucket },
      });
      const { taskId } = await admin.trpc.datastore.remove.mutate({ name: 'orphan' });
      expect((await waitTask(server.services, taskId)).state).toBe('warning');
      expect((await taskLog(server.services, taskId)).join('\n')).toContain(
        "the S3 objects of 'orphan' were left untouched: S3 endpoint 'vanished' does not exist",
      );
      expect((await admin.trpc.datastore.list.query()).map((d) => d.store)).not.toContain('orphan');
    });

    it('removal with destroy-data deletes every object of the datastore', async () => {
      const { taskId } = await admin.trpc.datastore.remove.mutate({ name: STORE, destroyData: true });
      expect((await waitTask(server.services, taskId)).state).toBe('ok');
      expect(await objectKeys(`${STORE}/`)).toEqual([]);
      await admin.trpc.s3Endpoint.remove.mutate({ id: ENDPOINT });
      expect((await admin.trpc.s3Endpoint.list.query()).items).toEqual([]);
    });
  });
});
