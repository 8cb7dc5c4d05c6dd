/**
 * Every tRPC procedure and REST route declares an access rule; this walks all of them and proves
 * that an anonymous caller is refused and that a caller without privileges is refused (or, where
 * PBS filters instead of refusing, sees none of the admin's objects). A new procedure without a
 * row here fails the test.
 */
import fs from 'node:fs/promises';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProcedures } from '../src/trpc/procedure-table.js';
import type { AuthState } from '../src/trpc/auth-state.js';
import type { Context } from '../src/trpc/context.js';
import { appRouter } from '../src/routers/index.js';
import { restRoutes } from '../src/rest/routes/index.js';
import type { TestServer } from './harness.js';
import { seedSnapshot } from '@pbs/datastore/testing';
import { createTestDatastore, request, restLogin, startServer } from './fixtures.js';

type Outcome = 'forbidden' | 'allowed' | { filtered: (result: unknown) => void };
interface Row {
  input?: unknown;
  unprivileged: Outcome;
}

const NOBODY = 'nobody@pbs';
const NOBODY_PASSWORD = 'nobody-password';
let adminTask = '';
const store = 'store1';
const group = { type: 'host', id: 'admin-box' } as const;
const snapshot = { ...group, time: 1_700_000_000 };

function datastoreRows(none: (result: unknown) => void): Record<string, Row> {
  const target = { store, ns: '' };
  const forbidden = (input: unknown): Row => ({ input, unprivileged: 'forbidden' });
  const filtered = (input?: unknown): Row => ({ input, unprivileged: { filtered: none } });
  const empty = (input?: unknown): Row => ({
    input,
    unprivileged: { filtered: (r) => expect(r).toEqual([]) },
  });
  return {
    'datastore.list': empty(),
    'datastore.get': forbidden({ store }),
    'datastore.create': forbidden({ name: 'evil' }),
    'datastore.update': forbidden({ name: store, comment: 'x' }),
    'datastore.remove': forbidden({ name: store }),
    'datastore.status': forbidden({ store }),
    'datastore.usage': forbidden({ store }),
    'namespace.list': forbidden({ store }),
    'namespace.create': forbidden({ store, name: 'x' }),
    'namespace.remove': forbidden({ store, ns: 'a' }),
    'namespace.move': forbidden({ store, ns: 'a', targetNs: 'b' }),
    'group.list': forbidden(target),
    'group.remove': forbidden({ ...target, group }),
    'group.changeOwner': forbidden({ ...target, group, newOwner: NOBODY }),
    'group.move': forbidden({ ...target, group, targetNs: 'a' }),
    'group.notes': forbidden({ ...target, group }),
    'group.setNotes': forbidden({ ...target, group, notes: 'x' }),
    'snapshot.list': forbidden(target),
    'snapshot.remove': forbidden({ ...target, snapshot }),
    'snapshot.setProtected': forbidden({ ...target, snapshot, protected: true }),
    'snapshot.notes': forbidden({ ...target, snapshot }),
    'snapshot.setNotes': forbidden({ ...target, snapshot, notes: 'x' }),
    'prune.preview': forbidden({ ...target, group, keepLast: 1 }),
    'prune.run': forbidden({ ...target, keepLast: 1 }),
    'gc.status': forbidden({ store }),
    'gc.run': forbidden({ store }),
    'gc.list': empty(),
    'verify.run': forbidden(target),
    'pruneJob.list': filtered({}),
    'pruneJob.create': forbidden({ id: 'evil-job', store, schedule: 'daily' }),
    'pruneJob.update': forbidden({ id: 'admin-prune', comment: 'x' }),
    'pruneJob.remove': forbidden({ id: 'admin-prune' }),
    'pruneJob.run': forbidden({ id: 'admin-prune' }),
    'verifyJob.list': filtered({}),
    'verifyJob.create': forbidden({ id: 'evil-job', store }),
    'verifyJob.update': forbidden({ id: 'admin-verify', comment: 'x' }),
    'verifyJob.remove': forbidden({ id: 'admin-verify' }),
    'verifyJob.run': forbidden({ id: 'admin-verify' }),
    'browse.list': forbidden({ ...target, snapshot }),
    'browse.versions': forbidden({ ...target, group, path: 'root.pxar.didx/x' }),
  };
}

const s3Endpoint = 'admin-s3';
const s3Config = {
  id: s3Endpoint,
  endpoint: 's3.example.invalid',
  accessKey: 'admin-access',
  secretKey: 'admin-secret',
};

function s3Rows(): Record<string, Row> {
  const forbidden = (input: unknown): Row => ({ input, unprivileged: 'forbidden' });
  return {
    's3Endpoint.list': {
      unprivileged: { filtered: (r) => expect((r as { items: unknown[] }).items).toEqual([]) },
    },
    's3Endpoint.get': forbidden({ id: s3Endpoint }),
    's3Endpoint.create': forbidden({ ...s3Config, id: 'evil-s3' }),
    's3Endpoint.update': forbidden({ id: s3Endpoint, comment: 'x' }),
    's3Endpoint.remove': forbidden({ id: s3Endpoint }),
    's3Endpoint.check': forbidden({ id: s3Endpoint, bucket: 'bucket1' }),
    's3Endpoint.listBuckets': forbidden({ id: s3Endpoint }),
    's3Endpoint.resetCounters': forbidden({ id: s3Endpoint, bucket: 'bucket1' }),
    's3Endpoint.prices': forbidden(undefined),
    's3Endpoint.setPrices': forbidden({
      currency: 'USD',
      storageGbMonth: 0,
      putPer1k: 0,
      getPer1k: 0,
      egressGb: 0,
    }),
    'datastore.s3Refresh': forbidden({ store }),
  };
}

const remoteName = 'admin-remote';
const remoteConfig = {
  name: remoteName,
  host: 'localhost',
  authId: 'sync@pbs',
  password: 'c2VjcmV0',
};

function syncRows(): Record<string, Row> {
  const forbidden = (input: unknown): Row => ({ input, unprivileged: 'forbidden' });
  const noItems: Row['unprivileged'] = {
    filtered: (r) => expect((r as { items: unknown[] }).items).toEqual([]),
  };
  const job = { store, remote: remoteName, remoteStore: 'store2' };
  return {
    'remote.list': { unprivileged: noItems },
    'remote.get': forbidden({ name: remoteName }),
    'remote.create': forbidden({ ...remoteConfig, name: 'evil-remote' }),
    'remote.update': forbidden({ name: remoteName, comment: 'x' }),
    'remote.remove': forbidden({ name: remoteName }),
    'remote.testConnection': forbidden({ name: remoteName }),
    'remote.fetchFingerprint': forbidden({ host: 'localhost' }),
    'remote.scanDatastores': forbidden({ name: remoteName }),
    'remote.scanNamespaces': forbidden({ name: remoteName, store }),
    'remote.scanGroups': forbidden({ name: remoteName, store }),
    'syncJob.list': { input: {}, unprivileged: noItems },
    'syncJob.get': forbidden({ id: 'admin-sync' }),
    'syncJob.create': forbidden({ ...job, id: 'evil-sync' }),
    'syncJob.update': forbidden({ id: 'admin-sync', comment: 'x' }),
    'syncJob.remove': forbidden({ id: 'admin-sync' }),
    'syncJob.run': forbidden({ id: 'admin-sync' }),
    'sync.pull': forbidden(job),
    'sync.push': forbidden(job),
  };
}

const tapeDrive = 'admin-drive';
const tapeChanger = 'admin-changer';
const tapePool = 'admin-pool';
const FP = Array.from({ length: 32 }, () => 'ab').join(':');

function tapeRows(): Record<string, Row> {
  const forbidden = (input: unknown): Row => ({ input, unprivileged: 'forbidden' });
  const noItems: Row['unprivileged'] = {
    filtered: (r) => expect((r as { items: unknown[] }).items).toEqual([]),
  };
  const empty: Row['unprivileged'] = { filtered: (r) => expect(r).toEqual([]) };
  const drive = { drive: tapeDrive };
  const uuid = '11111111-2222-4333-8444-555555555555';
  return {
    'tapeDrive.list': { unprivileged: noItems },
    'tapeDrive.create': forbidden({ name: 'evil-drive', path: '/tmp/evil' }),
    'tapeDrive.update': forbidden({ name: tapeDrive, comment: 'x' }),
    'tapeDrive.remove': forbidden({ name: tapeDrive }),
    'tapeDrive.status': forbidden(drive),
    'tapeDrive.loadSlot': forbidden({ ...drive, sourceSlot: 1 }),
    'tapeDrive.loadMedia': forbidden({ ...drive, labelText: 'TAPE01' }),
    'tapeDrive.unload': forbidden(drive),
    'tapeDrive.eject': forbidden(drive),
    'tapeDrive.label': forbidden({ ...drive, labelText: 'EVIL01' }),
    'tapeDrive.barcodeLabel': forbidden(drive),
    'tapeDrive.format': forbidden(drive),
    'tapeDrive.readLabel': forbidden(drive),
    'tapeDrive.inventory': forbidden(drive),
    'tapeDrive.updateInventory': forbidden(drive),
    'tapeDrive.catalog': forbidden(drive),
    'tapeChanger.list': { unprivileged: noItems },
    'tapeChanger.create': forbidden({ name: 'evil-changer', path: '/tmp/evil', slots: 4 }),
    'tapeChanger.update': forbidden({ name: tapeChanger, comment: 'x' }),
    'tapeChanger.remove': forbidden({ name: tapeChanger }),
    'tapeChanger.status': forbidden({ name: tapeChanger }),
    'tapeChanger.transfer': forbidden({ name: tapeChanger, from: 1, to: 2 }),
    'tapePool.list': { unprivileged: noItems },
    'tapePool.get': forbidden({ name: tapePool }),
    'tapePool.create': forbidden({ name: 'evil-pool' }),
    'tapePool.update': forbidden({ name: tapePool, comment: 'x' }),
    'tapePool.remove': forbidden({ name: tapePool }),
    'tapeMedia.list': { input: {}, unprivileged: empty },
    'tapeMedia.content': { input: {}, unprivileged: empty },
    'tapeMedia.mediaSets': { unprivileged: empty },
    'tapeMedia.move': forbidden({ uuid }),
    'tapeMedia.destroy': forbidden({ uuid }),
    'tapeMedia.setStatus': forbidden({ uuid, status: 'retired' }),
    'tapeJob.list': { unprivileged: noItems },
    'tapeJob.create': forbidden({ id: 'evil-tape-job', store, pool: tapePool, drive: tapeDrive }),
    'tapeJob.update': forbidden({ id: 'admin-tape-job', comment: 'x' }),
    'tapeJob.remove': forbidden({ id: 'admin-tape-job' }),
    'tapeJob.run': forbidden({ id: 'admin-tape-job' }),
    'tapeKey.list': { unprivileged: empty },
    'tapeKey.create': forbidden({ password: 'evil-password' }),
    'tapeKey.restore': forbidden({ keyConfig: '{}', password: 'evil-password' }),
    'tapeKey.keyConfig': forbidden({ fingerprint: FP }),
    'tapeKey.remove': forbidden({ fingerprint: FP }),
    'tape.backup': forbidden({ store, pool: tapePool, drive: tapeDrive }),
    'tape.restore': forbidden({ drive: tapeDrive, mediaSet: uuid, store }),
  };
}

/** Inputs aim at the admin's objects, so "own object" rules cannot let the unprivileged caller in. */
function rows(): Record<string, Row> {
  const none = (result: unknown) => expect(JSON.stringify(result)).not.toContain('admin@pbs');
  return {
    'auth.login': { input: { username: 'x', password: 'y' }, unprivileged: 'allowed' },
    'auth.logout': { unprivileged: 'allowed' },
    'auth.renew': { unprivileged: 'allowed' },
    'auth.whoami': { unprivileged: 'allowed' },
    'auth.realms': { unprivileged: 'allowed' },
    'auth.changePassword': {
      input: { userid: 'admin@pbs', password: 'new-password-1' },
      unprivileged: 'forbidden',
    },
    'node.info': { unprivileged: 'allowed' },
    'node.status': { unprivileged: 'forbidden' },
    'task.list': { input: {}, unprivileged: { filtered: none } },
    'task.get': { input: { upid: adminTask }, unprivileged: 'forbidden' },
    'task.log': { input: { upid: adminTask }, unprivileged: 'forbidden' },
    'task.follow': { input: { upid: adminTask }, unprivileged: 'forbidden' },
    'task.stop': { input: { upid: adminTask }, unprivileged: 'forbidden' },
    'task.stats': {
      input: { since: 0 },
      unprivileged: { filtered: (r) => expect(r).toEqual({ byType: {} }) },
    },
    'user.list': { unprivileged: { filtered: none } },
    'user.create': { input: { userid: 'eve@pbs', password: 'eve-password' }, unprivileged: 'forbidden' },
    'user.update': { input: { userid: 'admin@pbs', comment: 'x' }, unprivileged: 'forbidden' },
    'user.remove': { input: { userid: 'admin@pbs' }, unprivileged: 'forbidden' },
    'token.create': { input: { userid: 'admin@pbs', tokenName: 'evil' }, unprivileged: 'forbidden' },
    'token.update': { input: { tokenid: 'admin@pbs!t1', comment: 'x' }, unprivileged: 'forbidden' },
    'token.remove': { input: { tokenid: 'admin@pbs!t1' }, unprivileged: 'forbidden' },
    'token.regenerate': { input: { tokenid: 'admin@pbs!t1' }, unprivileged: 'forbidden' },
    'acl.list': { input: {}, unprivileged: { filtered: none } },
    'acl.update': { input: { path: '/', role: 'Admin', authId: NOBODY }, unprivileged: 'forbidden' },
    'acl.permissions': { input: { authId: 'admin@pbs' }, unprivileged: 'forbidden' },
    ...datastoreRows(none),
    ...s3Rows(),
    ...syncRows(),
    ...tapeRows(),
  };
}

async function invoke(ctx: Context, path: string, input: unknown): Promise<unknown> {
  const caller = appRouter.createCaller(ctx) as unknown as Record<
    string,
    Record<string, (i: unknown) => Promise<unknown>>
  >;
  const [area = '', name = ''] = path.split('.');
  const fn = caller[area]?.[name];
  if (fn === undefined) throw new Error(`no procedure ${path}`);
  const result = await fn(input);
  if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
    for await (const _event of result as AsyncIterable<unknown>) break;
  }
  return result;
}

async function errorCode(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    // Public procedures may refuse bad credentials; that is not a refusal of the anonymous caller.
    return err.code === 'UNAUTHORIZED' && err.message !== 'authentication required'
      ? 'BAD_CREDENTIALS'
      : err.code;
  }
}

describe('access matrix', () => {
  let server: TestServer & { dataDir: string };
  let nobodyCtx: Context;
  const anonymous: AuthState = { caller: null, failure: null, csrfValid: false };

  beforeAll(async () => {
    server = await startServer({ http: true });
    const { access, tasks } = server.services;
    await access.createUser({ userid: NOBODY, password: NOBODY_PASSWORD });
    await access.createToken('admin@pbs', 't1');
    adminTask = await tasks.spawn({ type: 'demo', authId: 'admin@pbs', run: () => Promise.resolve() });
    await createTestDatastore(server, store);
    const { datastore } = await server.services.datastores.open(store, 'write');
    await seedSnapshot(datastore, { ...snapshot, authId: 'admin@pbs' });
    await server.services.pruneJobs.create({ id: 'admin-prune', store, schedule: 'daily', keepLast: 3 });
    await server.services.verifyJobs.create({ id: 'admin-verify', store });
    await server.services.s3Endpoints.create(s3Config);
    await server.services.remotes.create(remoteConfig);
    await server.services.syncJobs.create({
      id: 'admin-sync',
      store,
      remote: remoteName,
      remoteStore: 'store2',
    });
    const tapeDir = `${server.dataDir}/tapes`;
    await server.services.tape.changers.create({ name: tapeChanger, path: tapeDir, slots: 4 });
    await server.services.tape.drives.create({ name: tapeDrive, path: tapeDir, changer: tapeChanger });
    await server.services.tape.pools.create({ name: tapePool });
    await server.services.tape.jobs.create({ id: 'admin-tape-job', store, pool: tapePool, drive: tapeDrive });
    nobodyCtx = {
      services: server.services,
      remoteAddress: '127.0.0.1',
      setAuthCookie: () => undefined,
      auth: { caller: { authId: NOBODY, userid: NOBODY, via: 'ticket' }, failure: null, csrfValid: true },
    };
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
  });

  it('has a row for every procedure and every procedure declares its access', () => {
    const table = rows();
    for (const { path, access } of listProcedures()) {
      expect(access, `${path} declares access`).toBeDefined();
      expect(table[path], `${path} has a row in the access matrix`).toBeDefined();
    }
    expect(Object.keys(table).sort()).toEqual(
      listProcedures()
        .map((p) => p.path)
        .sort(),
    );
  });

  it('refuses anonymous callers everywhere except public procedures', async () => {
    for (const { path, access } of listProcedures()) {
      const row = rows()[path];
      const code = await errorCode(invoke({ ...nobodyCtx, auth: anonymous }, path, row?.input));
      if (access?.kind === 'public') expect(code, path).not.toBe('UNAUTHORIZED');
      else expect(code, path).toBe('UNAUTHORIZED');
    }
  });

  it('refuses or filters callers without privileges', async () => {
    for (const [path, row] of Object.entries(rows())) {
      if (path === 'auth.login' || path === 'auth.renew') continue; // need real credentials, covered over HTTP
      const attempt = invoke(nobodyCtx, path, row.input);
      if (row.unprivileged === 'forbidden') expect(await errorCode(attempt), path).toBe('FORBIDDEN');
      else if (row.unprivileged === 'allowed') expect(await errorCode(attempt), path).toBeNull();
      else row.unprivileged.filtered(await attempt);
    }
  });

  it('refuses anonymous REST calls on every non-public route, and unprivileged ones where a privilege is needed', async () => {
    const nobody = await restLogin(server, NOBODY, NOBODY_PASSWORD);
    const params: Record<string, string> = {
      userid: 'admin@pbs',
      name: 't1',
      node: 'localhost',
      upid: adminTask,
      store,
      id: 'admin-prune',
    };
    for (const route of restRoutes) {
      const fill = (key: string) =>
        key === 'name' && route.path.includes('datastore') ? store : (params[key] ?? key);
      const path = `/api2/json${route.path.replace(/:(\w+)/g, (_m, key: string) => encodeURIComponent(fill(key)))}`;
      const anon = await request(server.url, route.method, path, {
        body: route.method === 'GET' ? undefined : {},
      });
      if (route.access.kind === 'public')
        expect(anon.text, `${route.method} ${route.path}`).not.toBe('authentication required');
      else
        expect([anon.status, anon.text], `${route.method} ${route.path}`).toEqual([
          401,
          'authentication required',
        ]);
      if (route.access.kind !== 'privilege') continue;
      const denied = await request(server.url, route.method, path, {
        headers: nobody.write,
        body: route.method === 'GET' ? undefined : {},
      });
      const expected = typeof route.access.path === 'string' ? [403] : [400, 403];
      expect(expected, `${route.method} ${route.path} as ${NOBODY}`).toContain(denied.status);
    }
  });
});
