import { AppError } from '@pbs/api-types/errors';

/*
 * The settings of one S3 endpoint, as an `s3-endpoint` section of s3.cfg holds them
 * (pbs-formats §11.1), in the camelCase names of the server's config schema, so that an s3.cfg
 * entry can be handed over as it is. Sizes may be PBS HumanByte strings ('100 MiB') or bytes.
 */

export const S3_PROVIDER_QUIRKS = ['skip-if-none-match-header', 'delete-objects-via-delete-object'] as const;
export type S3ProviderQuirk = (typeof S3_PROVIDER_QUIRKS)[number];

/** PBS's default when `region` is unset (Cloudflare R2 needs `auto`) */
export const S3_DEFAULT_REGION = 'us-west-1';

export interface S3EndpointOptions {
  /** FQDN or IP; may contain `{{bucket}}.` as the leading label and `{{region}}` */
  readonly endpoint: string;
  /** default: 443 */
  readonly port?: number;
  readonly region?: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** SHA-256 fingerprint of the endpoint's certificate (colon hex) for self-signed endpoints */
  readonly fingerprint?: string;
  /** `https://host/<bucket>/<key>` instead of `https://<bucket>.host/<key>` */
  readonly pathStyle?: boolean;
  readonly providerQuirks?: readonly S3ProviderQuirk[];
  /** PUT requests per second */
  readonly putRateLimit?: number;
  /** download bandwidth in bytes per second, and its burst */
  readonly rateIn?: number | string;
  readonly burstIn?: number | string;
  /** upload bandwidth in bytes per second, and its burst */
  readonly rateOut?: number | string;
  readonly burstOut?: number | string;
}

const BUCKET_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const FINGERPRINT = /^([0-9a-f]{2}:){31}[0-9a-f]{2}$/;
const HUMAN_BYTE = /^(\d+(?:\.\d+)?)\s*(?:([KMGTPE])(i)?)?B?$/i;
const UNIT_POWER: Readonly<Record<string, number>> = { K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };

/** Bucket naming rules PBS checks (pbs-formats §11.1); INVALID_ARGUMENT with the reason. */
export function checkBucketName(bucket: string): string {
  const bad = (why: string) => new AppError('INVALID_ARGUMENT', `invalid bucket name '${bucket}': ${why}`);
  if (bucket.length < 3 || bucket.length > 63) throw bad('must have 3 to 63 characters');
  if (!BUCKET_NAME.test(bucket)) throw bad('only lowercase letters, digits and inner hyphens');
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(bucket) || /(--ol-s3|\.mrap|--x-s3)$/.test(bucket)) {
    throw bad('reserved prefix or suffix');
  }
  return bucket;
}

/** Lowercase colon hex, as compared with the peer certificate's SHA-256. */
export function normalizeFingerprint(fingerprint: string): string {
  const fp = fingerprint.trim().toLowerCase();
  if (!FINGERPRINT.test(fp)) {
    throw new AppError('INVALID_ARGUMENT', `invalid certificate fingerprint '${fingerprint}'`);
  }
  return fp;
}

/**
 * PBS HumanByte: a number with an optional unit; decimal units are powers of 1000 (`KB`, `MB`),
 * binary ones powers of 1024 (`KiB`, `MiB`); a bare number is bytes.
 */
export function parseHumanByte(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new AppError('INVALID_ARGUMENT', `invalid size ${value}`);
    return value;
  }
  const m = HUMAN_BYTE.exec(value.trim());
  if (!m) throw new AppError('INVALID_ARGUMENT', `invalid size '${value}'`);
  const power = m[2] ? (UNIT_POWER[m[2].toUpperCase()] ?? 0) : 0;
  return Math.round(Number(m[1]) * (m[3] ? 1024 : 1000) ** power);
}

/**
 * `host[:port]` as PBS builds the authority: `{{region}}` replaced by the region, `{{bucket}}`
 * by the bucket, or `{{bucket}}.` dropped when there is none (listing buckets).
 */
export function resolveAuthority(cfg: S3EndpointOptions, bucket?: string): string {
  const region = cfg.region ?? S3_DEFAULT_REGION;
  const host = cfg.endpoint.replaceAll('{{region}}', region);
  const withBucket = bucket ? host.replaceAll('{{bucket}}', bucket) : host.replaceAll('{{bucket}}.', '');
  return cfg.port !== undefined ? `${withBucket}:${cfg.port}` : withBucket;
}

/**
 * The SDK's view of the same: an endpoint without the bucket, and the addressing style. A
 * `{{bucket}}.` template is virtual-hosted addressing, which the SDK does by prefixing the
 * bucket label itself, so the template label is dropped here.
 */
export function sdkEndpoint(cfg: S3EndpointOptions): { url: string; forcePathStyle: boolean } {
  return { url: `https://${resolveAuthority(cfg)}`, forcePathStyle: cfg.pathStyle ?? false };
}
