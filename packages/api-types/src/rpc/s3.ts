import { z } from 'zod';
import { CommentSchema, safeIdSchema } from '../domain/names.js';
import { DigestSchema } from './common.js';

export const S3EndpointIdSchema = safeIdSchema('S3 endpoint id', 3, 32);

const DNS_LABEL = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const TEMPLATE_ENDPOINT = new RegExp(
  `^(?:\\{\\{bucket\\}\\}\\.)?(?:(?:${DNS_LABEL}|\\{\\{region\\}\\})\\.)*${DNS_LABEL}$`,
);
const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[?[0-9a-fA-F:]+\]?)$/;

/** Host name (may use {{bucket}}. as the first label and {{region}}) or IP, no scheme (pbs §11.1). */
export const S3EndpointHostSchema = z
  .string()
  .min(1, 'endpoint is required')
  .max(253)
  .transform((v) => v.replace(/^https:\/\//, '').replace(/\/+$/, ''))
  .refine((v) => !v.startsWith('http://'), 'plain HTTP is not supported')
  .refine(
    (v) => TEMPLATE_ENDPOINT.test(v) || IP.test(v),
    'endpoint must be a host name or IP address, optionally with {{bucket}} and {{region}}',
  );

export const S3RegionSchema = z
  .string()
  .max(32)
  .regex(/^[_a-z\d][-_a-z\d]+$/, 'region may contain lowercase letters, digits, - and _');

export const BucketNameSchema = z
  .string()
  .min(3, 'bucket names have 3 to 63 characters')
  .max(63, 'bucket names have 3 to 63 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'bucket names use lowercase letters, digits and -')
  .refine(
    (b) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(b) && !/(--ol-s3|\.mrap|--x-s3)$/.test(b),
    'bucket name uses a reserved prefix or suffix',
  );

export const FingerprintSchema = z
  .string()
  .regex(
    /^([0-9a-fA-F]{2}:){31}[0-9a-fA-F]{2}$/,
    'fingerprint must be 32 colon-separated hex bytes (SHA-256)',
  );

/** PBS HumanByte: a number with an optional unit (B, KB, KiB, MB, MiB, …) */
export const HumanByteSchema = z
  .string()
  .regex(/^\d+(?:\.\d+)?\s*(?:[KMGTP]i?)?B?$/i, "size like '100MiB' or '1.5GB'");

export const S3_PROVIDER_QUIRKS = ['skip-if-none-match-header', 'delete-objects-via-delete-object'] as const;

const S3EndpointFieldsSchema = z.object({
  endpoint: S3EndpointHostSchema,
  port: z.number().int().min(1).max(65535).optional(),
  region: S3RegionSchema.optional(),
  accessKey: z.string().min(1, 'access key is required').max(256),
  fingerprint: FingerprintSchema.optional(),
  pathStyle: z.boolean().optional(),
  providerQuirks: z.array(z.enum(S3_PROVIDER_QUIRKS)).optional(),
  putRateLimit: z.number().int().min(1).optional(),
  rateIn: HumanByteSchema.optional(),
  burstIn: HumanByteSchema.optional(),
  rateOut: HumanByteSchema.optional(),
  burstOut: HumanByteSchema.optional(),
  comment: CommentSchema.optional(),
});

/** s3.cfg entry as stored (section type `s3-endpoint`); the secret never leaves the server. */
export const S3EndpointConfigSchema = S3EndpointFieldsSchema.extend({
  id: S3EndpointIdSchema,
  secretKey: z.string().min(1).max(256),
});
export type S3EndpointConfig = z.infer<typeof S3EndpointConfigSchema>;

/** What the API returns: everything but the secret. */
export const S3EndpointSchema = S3EndpointFieldsSchema.extend({ id: S3EndpointIdSchema });
export type S3Endpoint = z.infer<typeof S3EndpointSchema>;

export const S3EndpointListOutputSchema = z.object({
  digest: DigestSchema,
  items: z.array(S3EndpointSchema),
});

export const CreateS3EndpointInputSchema = S3EndpointConfigSchema;
export type CreateS3EndpointInput = z.input<typeof CreateS3EndpointInputSchema>;

export const S3_ENDPOINT_DELETABLE = [
  'port',
  'region',
  'fingerprint',
  'pathStyle',
  'providerQuirks',
  'putRateLimit',
  'rateIn',
  'burstIn',
  'rateOut',
  'burstOut',
  'comment',
] as const;

export const UpdateS3EndpointInputSchema = S3EndpointFieldsSchema.partial().extend({
  id: S3EndpointIdSchema,
  /** absent: keep the stored secret */
  secretKey: z.string().min(1).max(256).optional(),
  delete: z.array(z.enum(S3_ENDPOINT_DELETABLE)).optional(),
  digest: DigestSchema.optional(),
});
export type UpdateS3EndpointInput = z.input<typeof UpdateS3EndpointInputSchema>;

export const S3EndpointRefSchema = z.object({ id: S3EndpointIdSchema, digest: DigestSchema.optional() });

export const S3CheckInputSchema = z.object({
  id: S3EndpointIdSchema,
  bucket: BucketNameSchema,
  /** the datastore name used as object prefix for the test write */
  storePrefix: z.string().max(32).optional(),
});
export const S3CheckOutputSchema = z.object({
  ok: z.literal(true),
  latencyMs: z.number(),
  message: z.string(),
});
export type S3CheckOutput = z.infer<typeof S3CheckOutputSchema>;

export const S3ListBucketsOutputSchema = z.array(
  z.object({ name: z.string(), creationDate: z.number().nullable() }),
);

/** Request and traffic counters of one S3 datastore (PBS `s3-statistics`). */
export const S3CountersSchema = z.object({
  get: z.number(),
  put: z.number(),
  post: z.number(),
  head: z.number(),
  delete: z.number(),
  /** request body bytes sent */
  uploaded: z.number(),
  /** response body bytes received */
  downloaded: z.number(),
});
export type S3Counters = z.infer<typeof S3CountersSchema>;

/**
 * Prices for the estimated monthly cost (beyond PBS): storage per GB-month, requests per 1,000
 * (PUT class: PUT, POST; GET class: GET, HEAD; DELETE is free at most providers), egress per GB.
 * Defaults are AWS S3 Standard list prices.
 */
export const S3PricesSchema = z.object({
  currency: z
    .string()
    .min(1)
    .max(8)
    .regex(/^[A-Za-z$€£¥]+$/, 'currency like USD or EUR'),
  storageGbMonth: z.number().min(0).max(1000),
  putPer1k: z.number().min(0).max(1000),
  getPer1k: z.number().min(0).max(1000),
  egressGb: z.number().min(0).max(1000),
});
export type S3Prices = z.infer<typeof S3PricesSchema>;

export const DEFAULT_S3_PRICES: S3Prices = {
  currency: 'USD',
  storageGbMonth: 0.023,
  putPer1k: 0.005,
  getPer1k: 0.0004,
  egressGb: 0.09,
};

export const S3MonthlyCostSchema = z.object({
  currency: z.string(),
  /** bytes billed as storage: the last GC's chunk bytes, else the bytes uploaded */
  storedBytes: z.number(),
  storedBytesSource: z.enum(['gc', 'uploaded']),
  /** the counters cover this many days (at least 1), extrapolated to 30 */
  basisDays: z.number(),
  storage: z.number(),
  requests: z.number(),
  egress: z.number(),
  total: z.number(),
});
export type S3MonthlyCost = z.infer<typeof S3MonthlyCostSchema>;

export const S3DatastoreStatsSchema = z.object({
  endpoint: z.string(),
  bucket: z.string(),
  counters: S3CountersSchema,
  /** epoch seconds since which the counters count */
  since: z.number(),
  cost: S3MonthlyCostSchema,
});
export type S3DatastoreStats = z.infer<typeof S3DatastoreStatsSchema>;
