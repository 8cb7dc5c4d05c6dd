import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialCache, TICKET_LIFETIME } from './credential-cache.js';

describe('credential cache', () => {
  let dir: string;
  let now = 1_700_000_000;
  let cache: CredentialCache;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pbs-client-cache-'));
    cache = new CredentialCache(path.join(dir, 'run'), path.join(dir, 'config'), () => now);
  });
  afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

  it('stores tickets as PBS does (0600, per server and user) and expires them', async () => {
    await cache.storeTicket('host-a', 'root@pam', { ticket: 'PBS:t1', csrf: 'c1' });
    await cache.storeTicket('host-b', 'u@pbs', { ticket: 'PBS:t2', csrf: 'c2' });
    expect((await fs.stat(cache.ticketFile)).mode & 0o777).toBe(0o600);
    const json = JSON.parse(await fs.readFile(cache.ticketFile, 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(json['host-a']?.['root@pam']).toEqual({ timestamp: now, ticket: 'PBS:t1', token: 'c1' });
    expect(await cache.loadTicket('host-a', 'root@pam')).toEqual({ ticket: 'PBS:t1', csrf: 'c1' });
    expect(await cache.loadTicket('host-a', 'other@pam')).toBeUndefined();
    now += TICKET_LIFETIME - 60;
    expect(await cache.loadTicket('host-b', 'u@pbs')).toBeUndefined();
    await cache.storeTicket('host-c', 'x@pbs', { ticket: 't3', csrf: 'c3' });
    const after = JSON.parse(await fs.readFile(cache.ticketFile, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(after)).toEqual(['host-c']);
    expect(await cache.deleteTicket('host-c', 'x@pbs')).toBe(true);
    expect(await cache.deleteTicket('host-c', 'x@pbs')).toBe(false);
  });

  it('keeps one fingerprint line per server', async () => {
    expect(await cache.loadFingerprint('host-a')).toBeUndefined();
    await cache.storeFingerprint('host-a', 'aa:bb');
    await cache.storeFingerprint('host-b', 'cc:dd');
    await cache.storeFingerprint('host-a', 'ee:ff');
    expect(await fs.readFile(cache.fingerprintFile, 'utf8')).toBe('host-b cc:dd\nhost-a ee:ff\n');
    expect(await cache.loadFingerprint('host-a')).toBe('ee:ff');
  });
});
