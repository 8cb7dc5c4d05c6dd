/**
 * The S3 endpoint dialog's values and their conversion to the create/update inputs, so the
 * dialog validates with the api-types schemas exactly what the server will.
 */
import type { CreateS3EndpointInput, S3Endpoint, UpdateS3EndpointInput } from '@pbs/api-types';

export interface S3EndpointValues {
  id: string;
  endpoint: string;
  port: string;
  region: string;
  accessKey: string;
  /** empty on edit: keep the stored secret */
  secretKey: string;
  fingerprint: string;
  pathStyle: boolean;
  skipIfNoneMatch: boolean;
  deleteViaDeleteObject: boolean;
  putRateLimit: string;
  rateIn: string;
  burstIn: string;
  rateOut: string;
  burstOut: string;
  comment: string;
}

export const S3_ENDPOINT_FIELDS = [
  'id',
  'endpoint',
  'port',
  'region',
  'accessKey',
  'secretKey',
  'fingerprint',
  'pathStyle',
  'putRateLimit',
  'rateIn',
  'burstIn',
  'rateOut',
  'burstOut',
  'comment',
];

/** Optional text fields: empty means unset (and, on edit, deleted). */
const OPTIONAL_TEXT = [
  'region',
  'fingerprint',
  'rateIn',
  'burstIn',
  'rateOut',
  'burstOut',
  'comment',
] as const;
const OPTIONAL_NUMBER = ['port', 'putRateLimit'] as const;

export function initialValues(endpoint: S3Endpoint | null): S3EndpointValues {
  const quirks = endpoint?.providerQuirks ?? [];
  return {
    id: endpoint?.id ?? '',
    endpoint: endpoint?.endpoint ?? '',
    port: endpoint?.port?.toString() ?? '',
    region: endpoint?.region ?? '',
    accessKey: endpoint?.accessKey ?? '',
    secretKey: '',
    fingerprint: endpoint?.fingerprint ?? '',
    pathStyle: endpoint?.pathStyle ?? false,
    skipIfNoneMatch: quirks.includes('skip-if-none-match-header'),
    deleteViaDeleteObject: quirks.includes('delete-objects-via-delete-object'),
    putRateLimit: endpoint?.putRateLimit?.toString() ?? '',
    rateIn: endpoint?.rateIn ?? '',
    burstIn: endpoint?.burstIn ?? '',
    rateOut: endpoint?.rateOut ?? '',
    burstOut: endpoint?.burstOut ?? '',
    comment: endpoint?.comment ?? '',
  };
}

/** '' → undefined; anything else a number (or the text, for the schema to reject by name). */
function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isNaN(value) ? (trimmed as unknown as number) : value;
}

function quirksOf(v: S3EndpointValues): NonNullable<CreateS3EndpointInput['providerQuirks']> {
  const quirks: NonNullable<CreateS3EndpointInput['providerQuirks']> = [];
  if (v.skipIfNoneMatch) quirks.push('skip-if-none-match-header');
  if (v.deleteViaDeleteObject) quirks.push('delete-objects-via-delete-object');
  return quirks;
}

export function toCreateInput(v: S3EndpointValues): CreateS3EndpointInput {
  const input: CreateS3EndpointInput = {
    id: v.id.trim(),
    endpoint: v.endpoint.trim(),
    accessKey: v.accessKey.trim(),
    secretKey: v.secretKey,
  };
  if (v.pathStyle) input.pathStyle = true;
  const quirks = quirksOf(v);
  if (quirks.length > 0) input.providerQuirks = quirks;
  for (const key of OPTIONAL_TEXT) if (v[key].trim() !== '') input[key] = v[key].trim();
  for (const key of OPTIONAL_NUMBER) {
    const value = numberOf(v[key]);
    if (value !== undefined) input[key] = value;
  }
  return input;
}

export function toUpdateInput(
  endpoint: S3Endpoint,
  digest: string,
  v: S3EndpointValues,
): UpdateS3EndpointInput {
  const input: UpdateS3EndpointInput = {
    id: endpoint.id,
    digest,
    endpoint: v.endpoint.trim(),
    accessKey: v.accessKey.trim(),
  };
  if (v.secretKey !== '') input.secretKey = v.secretKey;
  const remove: NonNullable<UpdateS3EndpointInput['delete']> = [];
  if (v.pathStyle) input.pathStyle = true;
  else if (endpoint.pathStyle !== undefined) remove.push('pathStyle');
  const quirks = quirksOf(v);
  if (quirks.length > 0) input.providerQuirks = quirks;
  else if ((endpoint.providerQuirks ?? []).length > 0) remove.push('providerQuirks');
  for (const key of OPTIONAL_TEXT) {
    if (v[key].trim() !== '') input[key] = v[key].trim();
    else if (endpoint[key] !== undefined) remove.push(key);
  }
  for (const key of OPTIONAL_NUMBER) {
    const value = numberOf(v[key]);
    if (value !== undefined) input[key] = value;
    else if (endpoint[key] !== undefined) remove.push(key);
  }
  if (remove.length > 0) input.delete = remove;
  return input;
}
