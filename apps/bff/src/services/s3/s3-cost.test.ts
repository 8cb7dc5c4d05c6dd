import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_S3_PRICES } from '@pbs/api-types';
import { estimateMonthlyCost, s3PricesFile } from './s3-cost.js';

const DAY = 86_400;
const zero = { get: 0, put: 0, post: 0, head: 0, delete: 0, uploaded: 0, downloaded: 0 };
const prices = { currency: 'USD', storageGbMonth: 0.02, putPer1k: 0.005, getPer1k: 0.0004, egressGb: 0.09 };

describe('estimateMonthlyCost', () => {
  it('prices stored GB, PUT/POST and GET/HEAD per 1,000 and egress, extrapolating 30 days', () => {
    const cost = estimateMonthlyCost({
      prices,
      counters: {
        ...zero,
        put: 9_000,
        post: 1_000,
        get: 15_000,
        head: 5_000,
        delete: 7_000,
        downloaded: 2e9,
      },
      since: 0,
      now: 10 * DAY,
      gcDiskBytes: 50e9,
    });
    expect(cost.basisDays).toBe(10);
    expect(cost.storage).toBeCloseTo(1.0, 6); // 50 GB × 0.02
    // (10k × 0.005 + 20k × 0.0004) / 1k × 3 = (0.05 + 0.008) × 3; DELETE is free
    expect(cost.requests).toBeCloseTo(0.174, 6);
    expect(cost.egress).toBeCloseTo(2 * 0.09 * 3, 6);
    expect(cost.total).toBeCloseTo(cost.storage + cost.requests + cost.egress, 4);
    expect(cost.storedBytesSource).toBe('gc');
  });

  it('counts less than a day as a day, and uses the uploaded bytes before the first GC', () => {
    const cost = estimateMonthlyCost({
      prices,
      counters: { ...zero, put: 1_000, uploaded: 10e9 },
      since: 1_000,
      now: 1_060,
      gcDiskBytes: null,
    });
    expect(cost.basisDays).toBe(1);
    expect(cost.requests).toBeCloseTo(0.005 * 30, 6);
    expect(cost).toMatchObject({ storedBytes: 10e9, storedBytesSource: 'uploaded' });
    expect(cost.storage).toBeCloseTo(0.2, 6);
  });
});

describe('s3PricesFile', () => {
  let dir = '';
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('reads the defaults until prices are saved, then the saved ones; a bad file is CORRUPT_DATA', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pbs-s3-prices-'));
    const file = s3PricesFile(dir);
    expect((await file.read()).data).toEqual(DEFAULT_S3_PRICES);
    await file.update(undefined, (data) => Object.assign(data, { currency: 'EUR', egressGb: 0.01 }));
    expect((await s3PricesFile(dir).read()).data).toEqual({
      ...DEFAULT_S3_PRICES,
      currency: 'EUR',
      egressGb: 0.01,
    });
    await fs.writeFile(path.join(dir, 's3-prices.json'), '{"egressGb": -1}');
    await expect(s3PricesFile(dir).read()).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
  });
});
