import { createHash } from 'node:crypto';
import type https from 'node:https';
import type { S3Client as SdkClient } from '@aws-sdk/client-s3';
import { AppError } from '@pbs/api-types/errors';
import {
  checkBucketName,
  normalizeFingerprint,
  resolveAuthority,
  S3_DEFAULT_REGION,
  sdkEndpoint,
} from './s3-config.js';
import type { S3EndpointOptions } from './s3-config.js';
import { S3RequestCounters } from './s3-counters.js';
import { httpStatusOf, isNotFoundS3Error, isTransientS3Error, toS3AppError } from './s3-errors.js';
import { defaultSleep, S3Limits, type RetryOptions, type Sleep } from './s3-limits.js';
import { countRequests } from './s3-middleware.js';
import { sdk } from './sdk.js';
import { createS3Agent } from './tls-agent.js';
import type { Clock } from './token-bucket.js';

/*
 * One S3 endpoint and bucket, through @aws-sdk/client-s3 with the SDK's own retries off: ours
 * follow PBS (3 attempts, 1 s × 3^n, on 5xx, throttling, timeouts and broken connections), and
 * every failure leaves as an AppError naming endpoint, bucket and key. Keys are full object
 * keys; the datastore prefix is the backend's business.
 */

export interface S3ClientOptions {
  /** the s3.cfg entry: endpoint, credentials, fingerprint, quirks, limits */
  readonly config: S3EndpointOptions;
  /** omitted for endpoint-wide calls (listBuckets) */
  readonly bucket?: string;
  readonly retry?: RetryOptions;
  /** a request fails after this long without traffic on its socket (default 60 s) */
  readonly idleTimeoutMs?: number;
  /** default 10 s, as PBS */
  readonly connectTimeoutMs?: number;
  /** drives the rate limiters */
  readonly clock?: Clock;
  /** how the client waits (backoff, rate limits); tests inject a fast one */
  readonly sleep?: Sleep;
  /** counters to continue (e.g. restored from the server's persisted snapshot) */
  readonly counters?: S3RequestCounters;
}

export interface S3ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly lastModifiedMs: number;
}

export interface S3BucketInfo {
  readonly name: string;
  readonly creationDate: number | null;
}

const DELETE_BATCH = 1000;
const CHECK_OBJECT = '.s3-client-test';
const {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} = sdk;
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('base64');

export class S3Client {
  readonly counters: S3RequestCounters;
  /** `host:port` as requests address it */
  readonly authority: string;
  private readonly sdk: SdkClient;
  private readonly agent: https.Agent;
  private readonly limits: S3Limits;
  private readonly quirks: ReadonlySet<string>;
  private readonly bucketName: string | undefined;

  constructor(opts: S3ClientOptions) {
    const cfg = opts.config;
    this.bucketName = opts.bucket !== undefined ? checkBucketName(opts.bucket) : undefined;
    this.authority = resolveAuthority(cfg, opts.bucket);
    this.counters = opts.counters ?? new S3RequestCounters();
    this.quirks = new Set(cfg.providerQuirks ?? []);
    const fingerprint = cfg.fingerprint ? normalizeFingerprint(cfg.fingerprint) : undefined;
    this.agent = createS3Agent({ fingerprint });
    this.limits = new S3Limits(
      cfg,
      opts.clock ?? { now: () => Date.now() },
      opts.sleep ?? defaultSleep,
      opts.retry,
    );
    const { url, forcePathStyle } = sdkEndpoint(cfg);
    this.sdk = new sdk.S3Client({
      endpoint: url,
      forcePathStyle,
      region: cfg.region ?? S3_DEFAULT_REGION,
      credentials: { accessKeyId: cfg.accessKey, secretAccessKey: cfg.secretKey },
      maxAttempts: 1,
      // PBS signs whole payloads; streaming checksums are not understood by every provider
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        httpsAgent: this.agent,
        connectionTimeout: opts.connectTimeoutMs ?? 10_000,
        socketTimeout: opts.idleTimeoutMs ?? 60_000,
      },
    });
    type Middleware = Parameters<typeof this.sdk.middlewareStack.add>[0];
    this.sdk.middlewareStack.add(countRequests(this.counters) as unknown as Middleware, {
      step: 'deserialize',
      priority: 'low',
      name: 'pbsS3RequestCounters',
    });
  }

  get bucket(): string {
    if (this.bucketName === undefined) {
      throw new AppError('INVALID_ARGUMENT', `S3 endpoint '${this.authority}': no bucket given`);
    }
    return this.bucketName;
  }

  /** Names endpoint and bucket in messages. */
  describe(): string {
    const bucket = this.bucketName !== undefined ? ` bucket '${this.bucketName}'` : '';
    return `S3 endpoint '${this.authority}'${bucket}`;
  }

  private what(op: string, key?: string): string {
    return `${this.describe()}: ${op}${key !== undefined ? ` '${key}'` : ''}`;
  }

  /** Runs one request with the limits and PBS's retries; `retryStatus` adds statuses to retry. */
  private async request<T>(
    method: string,
    what: string,
    uploadBytes: number,
    op: () => Promise<T>,
    retryStatus: readonly number[] = [],
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.limits.beforeRequest(method, uploadBytes);
      try {
        return await op();
      } catch (err) {
        const status = httpStatusOf(err);
        const again = isTransientS3Error(err) || (status !== undefined && retryStatus.includes(status));
        if (!again || attempt >= this.limits.attempts) throw toS3AppError(err, what, attempt);
        await this.limits.backoff(attempt);
      }
    }
  }

  /** HEAD bucket: the bucket exists and the credentials may use it. */
  async headBucket(): Promise<void> {
    const Bucket = this.bucket;
    await this.request('HEAD', this.what('HEAD bucket'), 0, () =>
      this.sdk.send(new HeadBucketCommand({ Bucket })),
    );
  }

  /** Every bucket the credentials own. */
  async listBuckets(): Promise<S3BucketInfo[]> {
    const res = await this.request('GET', this.what('list buckets'), 0, () =>
      this.sdk.send(new ListBucketsCommand({})),
    );
    return (res.Buckets ?? []).map((b) => ({
      name: b.Name ?? '',
      creationDate: b.CreationDate ? b.CreationDate.getTime() : null,
    }));
  }

  /** HEAD bucket if a bucket is set, else list buckets; the round trip in ms. */
  async checkConnection(): Promise<{ latencyMs: number }> {
    const start = performance.now();
    if (this.bucketName !== undefined) await this.headBucket();
    else await this.listBuckets();
    return { latencyMs: Math.round(performance.now() - start) };
  }

  /**
   * PBS's endpoint check (admin/s3 check): HEAD bucket, then PUT, GET and DELETE of an empty
   * `<storePrefix>/.s3-client-test` object, so that missing write or delete permissions show
   * before a datastore is created. Returns the time it took.
   */
  async checkReadWrite(storePrefix?: string): Promise<{ latencyMs: number }> {
    const start = performance.now();
    const key = storePrefix ? `${storePrefix}/${CHECK_OBJECT}` : CHECK_OBJECT;
    await this.headBucket();
    await this.putObject(key, Buffer.alloc(0), { replace: true });
    await this.getObject(key);
    await this.deleteObject(key);
    return { latencyMs: Math.round(performance.now() - start) };
  }

  async headObject(key: string): Promise<{ size: number; lastModifiedMs: number } | undefined> {
    const Bucket = this.bucket;
    try {
      const res = await this.request('HEAD', this.what('HEAD', key), 0, () =>
        this.sdk.send(new HeadObjectCommand({ Bucket, Key: key })),
      );
      return { size: res.ContentLength ?? 0, lastModifiedMs: res.LastModified?.getTime() ?? 0 };
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  /** The object's bytes; NOT_FOUND if there is none. */
  async getObject(key: string): Promise<Buffer> {
    const Bucket = this.bucket;
    const data = await this.request('GET', this.what('GET', key), 0, async () => {
      const res = await this.sdk.send(new GetObjectCommand({ Bucket, Key: key }));
      if (!res.Body) return Buffer.alloc(0);
      const bytes = await res.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    });
    await this.limits.afterDownload(data.length);
    return data;
  }

  /** Like getObject, but undefined for a missing object. */
  async getObjectIfExists(key: string): Promise<Buffer | undefined> {
    try {
      return await this.getObject(key);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  /**
   * Uploads an object. Without `replace` the PUT is conditional (`If-None-Match: *`, unless the
   * provider quirk says the header is not understood) and an existing object is kept: the
   * result is then 'exists' (HTTP 412). HTTP 409 (a concurrent write) is retried, as in PBS.
   */
  async putObject(key: string, data: Uint8Array, opts: { replace: boolean }): Promise<'created' | 'exists'> {
    const Bucket = this.bucket;
    const conditional = !opts.replace && !this.quirks.has('skip-if-none-match-header');
    const input = {
      Bucket,
      Key: key,
      Body: data,
      ContentLength: data.length,
      ContentType: 'application/octet-stream',
      ...(data.length > 0 ? { ContentMD5: md5(data) } : {}),
      ...(conditional ? { IfNoneMatch: '*' } : {}),
    };
    try {
      await this.request(
        'PUT',
        this.what('PUT', key),
        data.length,
        () => this.sdk.send(new PutObjectCommand(input)),
        [409],
      );
      return 'created';
    } catch (err) {
      const status = err instanceof AppError ? err.details?.httpStatus : undefined;
      if (conditional && status === 412) return 'exists';
      throw err;
    }
  }

  /** Server-side copy (PBS copies corrupt chunks to their `.bad` keys this way). */
  async copyObject(sourceKey: string, targetKey: string): Promise<void> {
    const Bucket = this.bucket;
    const CopySource = `${Bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`;
    await this.request('PUT', this.what('COPY', `${sourceKey}' to '${targetKey}`), 0, () =>
      this.sdk.send(new CopyObjectCommand({ Bucket, Key: targetKey, CopySource })),
    );
  }

  /** Deletes one object; a missing one is no error (S3 answers 204 either way). */
  async deleteObject(key: string): Promise<void> {
    const Bucket = this.bucket;
    try {
      await this.request('DELETE', this.what('DELETE', key), 0, () =>
        this.sdk.send(new DeleteObjectCommand({ Bucket, Key: key })),
      );
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
    }
  }

  /**
   * Deletes objects with DeleteObjects (up to 1000 keys per request), or one DELETE per key
   * with the `delete-objects-via-delete-object` quirk. A key the endpoint refused fails the call.
   */
  async deleteObjects(keys: readonly string[]): Promise<void> {
    if (this.quirks.has('delete-objects-via-delete-object')) {
      for (const key of keys) await this.deleteObject(key);
      return;
    }
    const Bucket = this.bucket;
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const what = this.what('DeleteObjects', `${batch[0]}' and ${batch.length - 1} more '`);
      const res = await this.request('POST', what, 0, () =>
        this.sdk.send(
          new DeleteObjectsCommand({
            Bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        ),
      );
      const failed = (res.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) {
        const first = failed[0];
        throw new AppError(
          'BACKEND_UNAVAILABLE',
          `${this.what('DELETE', first?.Key ?? '')}: ${first?.Code ?? 'error'} ${first?.Message ?? ''} (${failed.length} keys not deleted)`.trim(),
          { details: { keys: failed.map((e) => e.Key) } },
        );
      }
    }
  }

  /** One page of ListObjectsV2 (at most 1000 keys). */
  async listObjectsPage(
    prefix: string,
    token?: string,
    maxKeys?: number,
  ): Promise<{ objects: S3ObjectInfo[]; next: string | undefined }> {
    const Bucket = this.bucket;
    const res = await this.request('GET', this.what('ListObjectsV2', prefix), 0, () =>
      this.sdk.send(
        new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: maxKeys }),
      ),
    );
    const objects = (res.Contents ?? []).map((o) => ({
      key: o.Key ?? '',
      size: o.Size ?? 0,
      lastModifiedMs: o.LastModified?.getTime() ?? 0,
    }));
    return { objects, next: res.IsTruncated ? res.NextContinuationToken : undefined };
  }

  /** Every object below `prefix`, in key order, page by page. */
  async *listObjects(prefix: string, opts: { signal?: AbortSignal } = {}): AsyncGenerator<S3ObjectInfo> {
    let token: string | undefined;
    do {
      opts.signal?.throwIfAborted();
      const page = await this.listObjectsPage(prefix, token);
      yield* page.objects;
      token = page.next;
    } while (token !== undefined);
  }

  /** True if any object has a key starting with `prefix`. */
  async hasObjects(prefix: string): Promise<boolean> {
    return (await this.listObjectsPage(prefix, undefined, 1)).objects.length > 0;
  }

  /** Deletes every object below `prefix`; returns how many. */
  async deletePrefix(prefix: string, opts: { signal?: AbortSignal } = {}): Promise<number> {
    let count = 0;
    let batch: string[] = [];
    for await (const obj of this.listObjects(prefix, opts)) {
      batch.push(obj.key);
      if (batch.length >= DELETE_BATCH) {
        await this.deleteObjects(batch);
        count += batch.length;
        batch = [];
      }
    }
    await this.deleteObjects(batch);
    return count + batch.length;
  }

  /** Closes pooled connections. */
  destroy(): void {
    this.sdk.destroy();
    this.agent.destroy();
  }
}

export { isNotFoundS3Error };
