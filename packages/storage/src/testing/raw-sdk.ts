import https from 'node:https';
import type { S3Client as SdkClient } from '@aws-sdk/client-s3';
import { sdk } from '../s3/sdk.js';
import type { S3TestServer } from './s3-server.js';

/*
 * A bare AWS SDK client for the test server, built without any of our S3 code (it trusts the
 * server's certificate as its CA), for tests that check what really is in the bucket.
 */

export type { SdkClient };

export function makeSdkClient(server: S3TestServer): SdkClient {
  return new sdk.S3Client({
    endpoint: `https://${server.endpoint}:${server.port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
    requestHandler: { httpsAgent: new https.Agent({ ca: server.certPem }) },
  });
}

/** Every key below `prefix`, listed page by page with ListObjectsV2. */
export async function listKeysWithSdk(client: SdkClient, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await client.send(
      new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 50 }),
    );
    keys.push(...(res.Contents ?? []).map((o) => o.Key ?? ''));
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return keys;
}
