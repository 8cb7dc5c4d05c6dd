import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './harness.js';
import { request, startServer, tempDir } from './fixtures.js';

describe('serving the SPA', () => {
  let server: TestServer & { dataDir: string };
  let webRoot: string;

  beforeAll(async () => {
    webRoot = await tempDir('pbs-web-');
    await fs.mkdir(path.join(webRoot, 'assets'));
    await fs.writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>spa</title>');
    await fs.writeFile(path.join(webRoot, 'assets', 'app.js'), 'console.log(1)');
    server = await startServer({ http: true, webRoot });
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(server.dataDir, { recursive: true, force: true });
    await fs.rm(webRoot, { recursive: true, force: true });
  });

  it('answers every deep link with index.html so bookmarks load', async () => {
    const upid = 'UPID:host:00001234:00000001:00000000:6745A000:demo:store1\\x3avm-100:admin@pbs:';
    for (const link of ['/', '/dashboard', `/tasks/${encodeURIComponent(upid)}`, '/access/users?x=1']) {
      const reply = await request(server.url, 'GET', link);
      expect(reply.status, link).toBe(200);
      expect(reply.text, link).toContain('<title>spa</title>');
    }
  });

  it('serves built assets as files', async () => {
    const reply = await request(server.url, 'GET', '/assets/app.js');
    expect(reply.headers['content-type']).toMatch(/javascript/);
    expect(reply.text).toBe('console.log(1)');
  });

  it('does not hand the SPA to unknown API paths', async () => {
    const rest = await request(server.url, 'GET', '/api2/json/no/such/path');
    expect(rest.status).toBe(404);
    expect(rest.text).toContain('no such api path');
    const trpc = await request(server.url, 'GET', '/trpc/no.such');
    expect(trpc.status).toBe(404);
  });

  it('sends security headers', async () => {
    const reply = await request(server.url, 'GET', '/');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});
