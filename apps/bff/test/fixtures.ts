/** Shared setup for integration tests: a temp data dir and a started server. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from './harness.js';
import { authCookie, request } from './http-client.js';
import { makeScratchDir } from '@pbs/datastore/testing';
import { startCreateDatastore } from '../src/services/datastore/create-datastore.js';

export const ADMIN_PASSWORD = 'integration-admin-pw';

export async function tempDir(prefix = 'pbs-bff-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function startServer(
  opts: Partial<TestServerOptions> = {},
): Promise<TestServer & { dataDir: string }> {
  const dataDir = opts.dataDir ?? (await tempDir());
  const server = await startTestServer({ adminPassword: ADMIN_PASSWORD, ...opts, dataDir });
  return { ...server, dataDir };
}

export interface Session {
  cookie: string;
  csrf: string;
  ticket: string;
  /** headers for reads (cookie) and writes (cookie + CSRF token) */
  read: Record<string, string>;
  write: Record<string, string>;
}

export async function restLogin(server: TestServer, username: string, password: string): Promise<Session> {
  const ca = server.services.certificate.cert;
  const reply = await request(server.url, 'POST', '/api2/json/access/ticket', {
    form: { username, password },
    ca,
  });
  if (reply.status !== 200) throw new Error(`login failed: ${reply.status} ${reply.text}`);
  const data = reply.json<{ data: { ticket: string; CSRFPreventionToken: string } }>().data;
  const cookie = `PBSAuthCookie=${encodeURIComponent(data.ticket)}`;
  return {
    cookie,
    csrf: data.CSRFPreventionToken,
    ticket: data.ticket,
    read: { cookie },
    write: { cookie, CSRFPreventionToken: data.CSRFPreventionToken },
  };
}

export { authCookie, request };

// Every datastore a test file created is removed after the file's tests: each holds 65,536
// directories, and tmpfs runs out of inodes long before it runs out of space.
const createdStores = new Set<string>();
afterAll(async () => {
  for (const dir of createdStores) await fs.rm(dir, { recursive: true, force: true });
  createdStores.clear();
});

/** Creates a datastore through the server's own creation task, on tmpfs when available. */
export async function createTestDatastore(server: TestServer, name: string): Promise<string> {
  const dir = await makeScratchDir(`pbs-store-${name}-`);
  createdStores.add(dir);
  const upid = await startCreateDatastore(
    server.services,
    { name, path: dir, reuseDatastore: false },
    'admin@pbs',
  );
  for await (const event of server.services.tasks.follow(upid, 0)) {
    if (event.kind === 'end' && event.status.state !== 'ok') {
      throw new Error(`creating datastore '${name}' failed: ${event.status.status ?? ''}`);
    }
  }
  return dir;
}
