/**
 * Estimated monthly cost of an S3 datastore (beyond PBS): prices from etc/s3-prices.json
 * (defaults: AWS S3 Standard list prices; editable), applied to the datastore's request and
 * traffic counters extrapolated to 30 days, and to its stored bytes (the last GC's chunk bytes,
 * else the bytes uploaded so far, an upper bound).
 */
import path from 'node:path';
import {
  AppError,
  DEFAULT_S3_PRICES,
  S3PricesSchema,
  type S3Counters,
  type S3MonthlyCost,
  type S3Prices,
} from '@pbs/api-types';
import { ConfigFile, type ConfigCodec } from '@pbs/config';

const DAY = 86_400;
const MONTH_DAYS = 30;
const GB = 1e9;

const pricesCodec: ConfigCodec<S3Prices> = {
  parse(text, fileName) {
    if (text.trim() === '') return { ...DEFAULT_S3_PRICES };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new AppError('CORRUPT_DATA', `config file '${fileName}': ${(err as Error).message}`);
    }
    const parsed = S3PricesSchema.safeParse({ ...DEFAULT_S3_PRICES, ...(raw as object) });
    if (!parsed.success) {
      throw new AppError(
        'CORRUPT_DATA',
        `config file '${fileName}': ${parsed.error.issues[0]?.message ?? ''}`,
      );
    }
    return parsed.data;
  },
  format: (data) => `${JSON.stringify(data, null, 2)}\n`,
};

export function s3PricesFile(etcDir: string): ConfigFile<S3Prices> {
  return new ConfigFile({ path: path.join(etcDir, 's3-prices.json'), codec: pricesCodec });
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

export function estimateMonthlyCost(opts: {
  prices: S3Prices;
  counters: S3Counters;
  /** epoch seconds the counters started */
  since: number;
  now: number;
  /** the last GC's chunk bytes, if a GC ran */
  gcDiskBytes: number | null;
}): S3MonthlyCost {
  const { prices, counters } = opts;
  // less than a day of counters would extrapolate a burst (the first backup) into a month
  const basisDays = Math.max(1, (opts.now - opts.since) / DAY);
  const perMonth = MONTH_DAYS / basisDays;
  const storedBytes = opts.gcDiskBytes ?? counters.uploaded;
  const storage = (storedBytes / GB) * prices.storageGbMonth;
  const requests =
    (((counters.put + counters.post) / 1000) * prices.putPer1k +
      ((counters.get + counters.head) / 1000) * prices.getPer1k) *
    perMonth;
  const egress = (counters.downloaded / GB) * prices.egressGb * perMonth;
  return {
    currency: prices.currency,
    storedBytes,
    storedBytesSource: opts.gcDiskBytes !== null ? 'gc' : 'uploaded',
    basisDays: round(basisDays),
    storage: round(storage),
    requests: round(requests),
    egress: round(egress),
    total: round(storage + requests + egress),
  };
}
