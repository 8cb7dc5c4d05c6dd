import type { S3RequestCounters } from './s3-counters.js';

/*
 * Counts every HTTP exchange at the bottom of the SDK's middleware stack, right above the
 * handler: the raw request (method, body size) and the raw response (status, body length), for
 * retried attempts too. Requests that never got an answer (refused connections) do not count.
 */

interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface RawResponse {
  headers?: Record<string, string>;
}

function bodyLength(req: RawRequest): number {
  const body = req.body;
  if (body instanceof Uint8Array) return body.length;
  if (typeof body === 'string') return Buffer.byteLength(body);
  const header = req.headers?.['content-length'] ?? req.headers?.['Content-Length'];
  return header !== undefined ? Number(header) || 0 : 0;
}

type Handler = (args: { request: unknown }) => Promise<{ response: unknown }>;

/** A deserialize-step middleware for `client.middlewareStack.add` */
export function countRequests(counters: S3RequestCounters): (next: Handler) => Handler {
  return (next: Handler) => async (args: { request: unknown }) => {
    const req = args.request as RawRequest;
    const method = (req.method ?? 'GET').toUpperCase();
    const result = await next(args);
    const res = result.response as RawResponse;
    const length = Number(res.headers?.['content-length'] ?? 0) || 0;
    counters.record(method, bodyLength(req), method === 'HEAD' ? 0 : length);
    return result;
  };
}
