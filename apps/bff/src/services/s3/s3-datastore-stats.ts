/**
 * The S3 part of a datastore's status: its request and traffic counters (live while the
 * datastore is open, else as last persisted) and the estimated monthly cost.
 */
import type { DatastoreConfig, GcStatus, S3DatastoreStats } from '@pbs/api-types';
import { S3RequestCounters } from '@pbs/storage';
import type { Services } from '../services.js';
import { estimateMonthlyCost } from './s3-cost.js';
import { s3BackendOf } from './s3-clients.js';
import { counterKey } from './s3-statistics.js';

export async function s3DatastoreStats(
  services: Services,
  config: DatastoreConfig,
  gcStatus: GcStatus | null,
): Promise<S3DatastoreStats | undefined> {
  const s3 = s3BackendOf(config);
  if (s3 === undefined) return undefined;
  const now = Math.floor(services.clock.now() / 1000);
  const stored = await services.s3Clients.statistics.read(counterKey(s3.client, s3.bucket, config.name));
  const counters = stored?.counters ?? new S3RequestCounters().snapshot();
  const since = stored?.since ?? now;
  const { data: prices } = await services.s3Prices.read();
  return {
    endpoint: s3.client,
    bucket: s3.bucket,
    counters,
    since,
    cost: estimateMonthlyCost({
      prices,
      counters,
      since,
      now,
      gcDiskBytes: gcStatus === null ? null : gcStatus.diskBytes,
    }),
  };
}
