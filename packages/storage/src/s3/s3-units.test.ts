import { AppError } from '@pbs/api-types/errors';
import { describe, expect, it } from 'vitest';
import {
  checkBucketName,
  normalizeFingerprint,
  parseHumanByte,
  resolveAuthority,
  sdkEndpoint,
} from './s3-config.js';
import { S3RequestCounters } from './s3-counters.js';
import { CertificateMismatchError, isTransientS3Error, toS3AppError } from './s3-errors.js';
import { S3Limits } from './s3-limits.js';
import { TokenBucket } from './token-bucket.js';

class Clock {
  constructor(public ms = 0) {}
  now(): number {
    return this.ms;
  }
}

const base = { endpoint: 'x', accessKey: 'a', secretKey: 's' };

describe('token bucket', () => {
  it('admits a burst, then makes the caller wait for the debt at the rate', () => {
    const clock = new Clock(1000);
    const bucket = new TokenBucket(100, 200, clock);
    expect(bucket.take(150)).toBe(0);
    expect(bucket.take(50)).toBe(0);
    expect(bucket.take(100)).toBe(1000); // 100 units in debt at 100/s
    clock.ms += 1000;
    expect(bucket.take(0)).toBe(0);
    expect(bucket.take(50)).toBe(500);
  });

  it('refills at most to the burst', () => {
    const clock = new Clock();
    const bucket = new TokenBucket(10, 20, clock);
    clock.ms += 60_000;
    expect(bucket.take(20)).toBe(0);
    expect(bucket.take(10)).toBe(1000);
  });

  it('paces PUT requests and upload bytes through the limits', async () => {
    const clock = new Clock();
    const waits: number[] = [];
    const limits = new S3Limits({ ...base, putRateLimit: 2, rateOut: '1 KiB' }, clock, async (ms) => {
      waits.push(ms);
      clock.ms += ms;
      return Promise.resolve();
    });
    await limits.beforeRequest('PUT', 100);
    await limits.beforeRequest('PUT', 100);
    await limits.beforeRequest('PUT', 100);
    expect(waits).toEqual([500]);
    await limits.beforeRequest('GET', 0);
    await limits.beforeRequest('PUT', 2048);
    expect(waits.at(-1)).toBeGreaterThanOrEqual(1000);
  });

  it('backs off 1 s × 3^n by default, scaled by the base delay', async () => {
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    };
    const limits = new S3Limits(base, new Clock(), sleep);
    await limits.backoff(1);
    await limits.backoff(2);
    const fast = new S3Limits(base, new Clock(), sleep, { baseDelayMs: 10 });
    await fast.backoff(2);
    expect(waits).toEqual([1000, 3000, 30]);
    expect(limits.attempts).toBe(3);
  });
});

describe('s3.cfg options', () => {
  it('fills the endpoint templates as PBS does', () => {
    const cfg = { ...base, endpoint: '{{bucket}}.s3.{{region}}.amazonaws.com' };
    expect(resolveAuthority(cfg, 'b1')).toBe('b1.s3.us-west-1.amazonaws.com');
    expect(resolveAuthority({ ...cfg, region: 'eu-central-1', port: 8443 })).toBe(
      's3.eu-central-1.amazonaws.com:8443',
    );
    expect(sdkEndpoint({ ...cfg, pathStyle: true })).toEqual({
      url: 'https://s3.us-west-1.amazonaws.com',
      forcePathStyle: true,
    });
  });

  it('parses HumanByte sizes', () => {
    expect(parseHumanByte('100')).toBe(100);
    expect(parseHumanByte('1.5 KB')).toBe(1500);
    expect(parseHumanByte('2MiB')).toBe(2 * 1024 * 1024);
    expect(parseHumanByte('1 GiB')).toBe(1024 ** 3);
    expect(parseHumanByte(42)).toBe(42);
    expect(() => parseHumanByte('lots')).toThrow(AppError);
  });

  it('checks bucket names and fingerprints', () => {
    expect(checkBucketName('my-bucket-1')).toBe('my-bucket-1');
    for (const bad of ['ab', 'Upper', '-x-y', 'xn--abc', 'abc--x-s3', 'a'.repeat(64)]) {
      expect(() => checkBucketName(bad)).toThrow(/invalid bucket name/);
    }
    const fp = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
    expect(normalizeFingerprint(fp)).toBe(fp.toLowerCase());
    expect(() => normalizeFingerprint('aa:bb')).toThrow(/fingerprint/);
  });
});

describe('errors at the S3 boundary', () => {
  const sdkError = (name: string, status?: number) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

  it('retries what may pass and nothing else', () => {
    for (const e of [
      sdkError('InternalError', 500),
      sdkError('SlowDown', 503),
      sdkError('Unknown', 504),
      sdkError('TooManyRequests', 429),
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('x'), { name: 'TimeoutError' }),
      new Error('socket hang up'),
    ]) {
      expect(isTransientS3Error(e)).toBe(true);
    }
    for (const e of [
      sdkError('NoSuchKey', 404),
      sdkError('AccessDenied', 403),
      sdkError('PreconditionFailed', 412),
    ]) {
      expect(isTransientS3Error(e)).toBe(false);
    }
    expect(isTransientS3Error(new CertificateMismatchError('aa', 'bb'))).toBe(false);
  });

  it('maps to AppError codes naming the request', () => {
    const what = "S3 endpoint 'h:443' bucket 'b': GET 'k'";
    expect(toS3AppError(sdkError('NoSuchKey', 404), what)).toMatchObject({ code: 'NOT_FOUND' });
    const denied = toS3AppError(sdkError('SignatureDoesNotMatch', 403), what);
    expect(denied).toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(denied.message).toBe(`${what}: HTTP 403 SignatureDoesNotMatch`);
    expect(toS3AppError(sdkError('SlowDown', 503), what, 3).message).toBe(
      `${what}: HTTP 503 SlowDown (after 3 attempts)`,
    );
    expect(toS3AppError(sdkError('SlowDown', 503), what)).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    const tls = toS3AppError(
      Object.assign(new Error('x'), { cause: new CertificateMismatchError('aa', 'bb') }),
      what,
    );
    expect(tls).toMatchObject({ code: 'PERMISSION_DENIED', details: { fingerprint: 'bb' } });
    expect(toS3AppError(sdkError('InvalidArgument', 400), what)).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('request counters', () => {
  it('counts by method and restores a snapshot', () => {
    const c = new S3RequestCounters();
    c.record('GET', 0, 100);
    c.record('put', 50, 0);
    c.record('PATCH', 1, 0);
    expect(c.snapshot()).toEqual({
      get: 1,
      put: 1,
      post: 0,
      head: 0,
      delete: 0,
      uploaded: 51,
      downloaded: 100,
    });
    const restored = new S3RequestCounters({ get: 5, uploaded: -3 });
    expect(restored.snapshot()).toMatchObject({ get: 5, uploaded: 0, put: 0 });
    restored.reset();
    expect(restored.snapshot().get).toBe(0);
  });
});
