/**
 * S3 clients built from s3.cfg: one cached client per endpoint and bucket for the endpoint
 * actions (check, list buckets), and one per datastore for its backend (PBS counts requests per
 * `<client>-<bucket>-<store>`), each with counters persisted by the statistics store. After an
 * endpoint changes or goes, `forget` drops its cached clients; the caller also makes the
 * datastore registry reopen the stores that use it.
 */
import {
  AppError,
  type DatastoreBackendInput,
  type DatastoreConfig,
  type S3EndpointConfig,
} from '@pbs/api-types';
import { S3Backend, S3Client, type S3EndpointOptions, type SyncLevel } from '@pbs/storage';
import type { Clock } from '@pbs/tasks';
import type { TypedSectionConfig } from '../config/typed-config.js';
import { counterKey, type S3StatisticsStore } from './s3-statistics.js';

export type S3BackendConfig = Extract<DatastoreBackendInput, { type: 's3' }>;

/** The s3 part of a datastore's `backend`, or undefined for a filesystem datastore. */
export function s3BackendOf(config: Pick<DatastoreConfig, 'name' | 'backend'>): S3BackendConfig | undefined {
  const backend = config.backend;
  if (backend?.type !== 's3') return undefined;
  if (!backend.client || !backend.bucket) {
    throw new AppError('CORRUPT_DATA', `datastore '${config.name}': S3 backend without client or bucket`);
  }
  return {
    type: 's3',
    client: backend.client,
    bucket: backend.bucket,
    maxCacheSize: backend.maxCacheSize,
  };
}

export function toEndpointOptions(cfg: S3EndpointConfig): S3EndpointOptions {
  return {
    endpoint: cfg.endpoint,
    port: cfg.port,
    region: cfg.region,
    accessKey: cfg.accessKey,
    secretKey: cfg.secretKey,
    fingerprint: cfg.fingerprint,
    pathStyle: cfg.pathStyle,
    providerQuirks: cfg.providerQuirks,
    putRateLimit: cfg.putRateLimit,
    rateIn: cfg.rateIn,
    burstIn: cfg.burstIn,
    rateOut: cfg.rateOut,
    burstOut: cfg.burstOut,
  };
}

export class S3ClientRegistry {
  private readonly clients = new Map<string, { endpoint: string; client: Promise<S3Client> }>();

  constructor(
    readonly endpoints: TypedSectionConfig<S3EndpointConfig>,
    readonly statistics: S3StatisticsStore,
  ) {}

  async endpointOptions(id: string): Promise<S3EndpointOptions> {
    return toEndpointOptions((await this.endpoints.get(id)).item);
  }

  /** The endpoint's client for a bucket (or for bucket listing when none is given). */
  client(id: string, bucket?: string): Promise<S3Client> {
    const key = counterKey(id, bucket);
    let entry = this.clients.get(key);
    if (entry === undefined) {
      const client = (async () => {
        const config = await this.endpointOptions(id);
        const counters = await this.statistics.attach(key);
        return new S3Client({ config, bucket, counters });
      })();
      entry = { endpoint: id, client };
      this.clients.set(key, entry);
      client.catch(() => this.clients.delete(key));
    }
    return entry.client;
  }

  /** A new backend for an S3 datastore (its own client; counters continue where they were). */
  async backendFor(
    config: Pick<DatastoreConfig, 'name' | 'path' | 'backend'>,
    opts: { clock?: Clock; syncLevel?: SyncLevel },
  ): Promise<S3Backend> {
    const s3 = s3BackendOf(config);
    if (s3 === undefined) throw new AppError('INVALID_ARGUMENT', `datastore '${config.name}' is not on S3`);
    const endpoint = await this.endpointOptions(s3.client);
    const key = counterKey(s3.client, s3.bucket, config.name);
    const stored = await this.statistics.read(key);
    const backend = S3Backend.fromConfig({
      name: config.name,
      endpoint,
      bucket: s3.bucket,
      cacheBase: config.path,
      maxCacheSize: s3.maxCacheSize,
      clock: opts.clock,
      syncLevel: opts.syncLevel,
      counters: stored?.counters,
    });
    this.statistics.adopt(key, backend.client.counters, stored);
    return backend;
  }

  /** Drops the cached clients of an endpoint (changed or removed). */
  forget(id: string): void {
    for (const [key, entry] of this.clients) {
      if (entry.endpoint !== id) continue;
      this.clients.delete(key);
      void entry.client.then((c) => c.destroy()).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.statistics.close();
  }
}
