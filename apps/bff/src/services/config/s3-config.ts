/**
 * s3.cfg: section type `s3-endpoint` (pbs-formats §11.1). The secret key is stored here in plain
 * text, as PBS does; PBS gives the file 0640 root:backup, we run as one user without a group to
 * share with, so the file is 0600 (inside the 0700 etc/). No API returns the secret.
 */
import path from 'node:path';
import { S3EndpointConfigSchema, type S3EndpointConfig } from '@pbs/api-types';
import type { FieldKind, SectionMapping } from './section-mapping.js';
import { TypedSectionConfig } from './typed-config.js';

const str: FieldKind = { kind: 'string' };

const mapping: SectionMapping<S3EndpointConfig> = {
  type: 's3-endpoint',
  idField: 'id',
  schema: S3EndpointConfigSchema,
  fields: {
    endpoint: str,
    port: { kind: 'integer' },
    region: str,
    'access-key': str,
    'secret-key': str,
    fingerprint: str,
    'path-style': { kind: 'boolean' },
    'provider-quirks': { kind: 'strings' },
    'put-rate-limit': { kind: 'integer' },
    'rate-in': str,
    'burst-in': str,
    'rate-out': str,
    'burst-out': str,
    comment: str,
  },
};

export const S3_CONFIG_MODE = 0o600;

export function s3ConfigFile(etcDir: string): TypedSectionConfig<S3EndpointConfig> {
  return new TypedSectionConfig(path.join(etcDir, 's3.cfg'), mapping, 'S3 endpoint', S3_CONFIG_MODE);
}
