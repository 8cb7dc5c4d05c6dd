import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './harness.js';
import { ADMIN_PASSWORD, request, restLogin, startServer } from './fixtures.js';

describe('REST authentication over HTTPS', () => {
  let server: TestServer & { dataDir: string };
  let ca: string;

  beforeAll(async () => {
    server = await startServer();
    ca = server.services.certificate.cert;
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
  });

  it('answers ping without authentication', async () => {
    const reply = await request(server.url, 'GET', '/api2/json/ping', { ca });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ data: { pong: true } });
  });

  it('serves the certificate whose fingerprint it reports', async () => {
    const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
      const socket = tls.connect(
        { host: '127.0.0.1', port: server.port, ca, servername: 'localhost' },
        () => {
          resolve(socket.getPeerCertificate());
          socket.end();
        },
      );
      socket.on('error', reject);
    });
    const fingerprint = crypto.createHash('sha256').update(peer.raw).digest('hex').match(/../g)?.join(':');
    expect(fingerprint).toBe(server.services.certificate.fingerprint);
  });

  it('issues a ticket and CSRF token that authorize later calls', async () => {
    const session = await restLogin(server, 'admin@pbs', ADMIN_PASSWORD);
    expect(session.ticket).toMatch(/^PBS:admin@pbs:[0-9A-F]{8}::/);

    const users = await request(server.url, 'GET', '/api2/json/access/users', { ca, headers: session.read });
    expect(users.status).toBe(200);
    expect(users.json<{ data: { userid: string }[] }>().data.map((u) => u.userid)).toContain('admin@pbs');

    const body = { userid: 'carol@pbs', password: 'carol-password' };
    const withoutCsrf = await request(server.url, 'POST', '/api2/json/access/users', {
      ca,
      body,
      headers: session.read,
    });
    expect(withoutCsrf.status).toBe(401);
    const created = await request(server.url, 'POST', '/api2/json/access/users', {
      ca,
      body,
      headers: session.write,
    });
    expect(created.status).toBe(200);
    expect(created.json()).toEqual({ data: null });
  });

  it('refuses a wrong password with PBS error shape (status and plain message)', async () => {
    const reply = await request(server.url, 'POST', '/api2/json/access/ticket', {
      ca,
      body: { username: 'admin@pbs', password: 'wrong' },
    });
    expect(reply.status).toBe(401);
    expect(reply.text).toBe('authentication failed');
  });

  it('renews a ticket passed as password', async () => {
    const session = await restLogin(server, 'admin@pbs', ADMIN_PASSWORD);
    const renewed = await request(server.url, 'POST', '/api2/json/access/ticket', {
      ca,
      form: { username: 'admin@pbs', password: session.ticket },
    });
    expect(renewed.status).toBe(200);
    expect(renewed.json<{ data: { ticket: string } }>().data.ticket).toMatch(/^PBS:admin@pbs:/);
  });

  it('requires authentication for the version', async () => {
    expect((await request(server.url, 'GET', '/api2/json/version', { ca })).status).toBe(401);
    const session = await restLogin(server, 'admin@pbs', ADMIN_PASSWORD);
    const version = await request(server.url, 'GET', '/api2/json/version', { ca, headers: session.read });
    expect(version.json<{ data: { version: string } }>().data.version).toMatch(/^\d+\.\d+/);
  });

  it('accepts API tokens without CSRF and shows their secret only once', async () => {
    const session = await restLogin(server, 'admin@pbs', ADMIN_PASSWORD);
    const created = await request(server.url, 'POST', '/api2/json/access/users/admin@pbs/token/ci', {
      ca,
      headers: session.write,
    });
    expect(created.status).toBe(200);
    const { tokenid, value } = created.json<{ data: { tokenid: string; value: string } }>().data;
    expect(tokenid).toBe('admin@pbs!ci');

    const listed = await request(server.url, 'GET', '/api2/json/access/users/admin@pbs/token', {
      ca,
      headers: session.read,
    });
    expect(listed.text).not.toContain(value);

    // Token without ACL entries has no privileges of its own, but may read its own identity.
    const header = { authorization: `PBSAPIToken=${tokenid}:${value}` };
    const perms = await request(server.url, 'GET', '/api2/json/access/permissions', { ca, headers: header });
    expect(perms.status).toBe(200);
    const acl = await request(server.url, 'PUT', '/api2/json/access/acl', {
      ca,
      headers: session.write,
      body: { path: '/', role: 'Audit', 'auth-id': tokenid },
    });
    expect(acl.status).toBe(200);
    const users = await request(server.url, 'GET', '/api2/json/access/users', { ca, headers: header });
    expect(users.status).toBe(200);
    const bad = await request(server.url, 'GET', '/api2/json/access/users', {
      ca,
      headers: { authorization: `PBSAPIToken=${tokenid}:not-the-secret` },
    });
    expect(bad.status).toBe(401);
  });

  it('refuses an update with a stale digest', async () => {
    const session = await restLogin(server, 'admin@pbs', ADMIN_PASSWORD);
    const before = await request(server.url, 'GET', '/api2/json/access/users/admin@pbs', {
      ca,
      headers: session.read,
    });
    const { digest } = before.json<{ digest: string }>();
    const first = await request(server.url, 'PUT', '/api2/json/access/users/admin@pbs', {
      ca,
      headers: session.write,
      body: { comment: 'first', digest },
    });
    expect(first.status).toBe(200);
    const second = await request(server.url, 'PUT', '/api2/json/access/users/admin@pbs', {
      ca,
      headers: session.write,
      body: { comment: 'second', digest },
    });
    expect(second.status).toBe(412);
    const after = await request(server.url, 'GET', '/api2/json/access/users/admin@pbs', {
      ca,
      headers: session.read,
    });
    expect(after.json<{ data: { comment: string } }>().data.comment).toBe('first');
  });
});
