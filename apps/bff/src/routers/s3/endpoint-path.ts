import type { S3Endpoint, S3EndpointConfig } from '@pbs/api-types';

/** ACL path of the S3 endpoints (PBS 4.0.9): /system/s3-endpoint[/{id}]. */
export const endpointPath = (id?: string) =>
  id === undefined ? '/system/s3-endpoint' : `/system/s3-endpoint/${id}`;

/** The secret key is write-only: every reply goes through this. */
export function withoutSecret(config: S3EndpointConfig): S3Endpoint {
  const { secretKey: _secret, ...rest } = config;
  return rest;
}
