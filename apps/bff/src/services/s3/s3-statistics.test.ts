import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { S3RequestCounters } from '@pbs/storage';
import { counterKey, S3StatisticsStore } from './s3-statistics.js';

describe('S3StatisticsStore', () => {
  let dir = '';
  let now = 0;
  const clock = { now: () => now };
  beforeEach(async () => {
    now = 1_700_000_000_000;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pbs-s3-stats-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('names counters as PBS does', () => {
    expect(counterKey('ep1', 'bucket', 'store1')).toBe('ep1-bucket-store1');
    expect(counterKey('ep1', 'bucket')).toBe('ep1-bucket');
    expect(counterKey('ep1')).toBe('ep1');
  });

  it('persists live counters on flush and continues from them after a restart', async () => {
    const store = new S3StatisticsStore(dir, clock, 0);
    const counters = await store.attach('ep-b-s');
    counters.record('PUT', 100, 0);
    counters.record('GET', 0, 40);
    await store.close();
    const saved = JSON.parse(await fs.readFile(path.join(dir, 'ep-b-s.json'), 'utf8')) as unknown;
    expect(saved).toMatchObject({
      since: 1_700_000_000,
      counters: { put: 1, get: 1, uploaded: 100, downloaded: 40 },
    });

    now += 3_600_000;
    const restarted = new S3StatisticsStore(dir, clock, 0);
    const adopted = new S3RequestCounters((await restarted.read('ep-b-s'))?.counters);
    restarted.adopt('ep-b-s', adopted, await restarted.read('ep-b-s'));
    adopted.record('PUT', 1, 0);
    expect(await restarted.read('ep-b-s')).toEqual({
      since: 1_700_000_000,
      counters: { get: 1, put: 2, post: 0, head: 0, delete: 0, uploaded: 101, downloaded: 40 },
    });
  });

  it('reset zeroes the counters and restarts the period; an unknown key reads undefined', async () => {
    const store = new S3StatisticsStore(dir, clock, 0);
    (await store.attach('k')).record('DELETE', 0, 0);
    now += 5_000;
    await store.reset('k');
    expect(await store.read('k')).toEqual({
      since: 1_700_000_005,
      counters: { get: 0, put: 0, post: 0, head: 0, delete: 0, uploaded: 0, downloaded: 0 },
    });
    expect(await store.read('other')).toBeUndefined();
  });
});
