import { AppError, type ErrorCode } from '@pbs/api-types/errors';

/*
 * Failures of S3 requests become AppErrors here, at the boundary. What a retry may cure is
 * classified as transient: HTTP 500/502/503/504, throttling (429, SlowDown and friends),
 * request timeouts and broken or refused connections; once retries are exhausted these are
 * BACKEND_UNAVAILABLE. A missing key or bucket is NOT_FOUND, refused credentials or an
 * untrusted certificate PERMISSION_DENIED, a request the endpoint rejects as malformed
 * INVALID_ARGUMENT, everything else INTERNAL.
 */

/** The peer certificate matched neither the configured fingerprint nor a trusted chain. */
export class CertificateMismatchError extends Error {
  readonly code = 'ERR_S3_CERT_FINGERPRINT';

  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`certificate fingerprint ${actual} does not match the configured fingerprint ${expected}`);
    this.name = 'CertificateMismatchError';
  }
}

interface SdkLikeError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
  cause?: unknown;
}

const THROTTLING = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottledException',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
]);
const TRANSIENT_NAMES = new Set([
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'OperationAborted',
]);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);
const NOT_FOUND_NAMES = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);
const DENIED_NAMES = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AllAccessDisabled',
  'AccountProblem',
]);

function fields(err: unknown): SdkLikeError {
  return typeof err === 'object' && err !== null ? err : {};
}

export function httpStatusOf(err: unknown): number | undefined {
  const status = fields(err).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function nameOf(err: unknown): string {
  const { name, code } = fields(err);
  if (typeof name === 'string' && name !== 'Error') return name;
  return typeof code === 'string' ? code : '';
}

/** Node's network error code, looked up along the cause chain. */
function networkCodeOf(err: unknown, depth = 0): string | undefined {
  const { code, cause } = fields(err);
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
  return depth < 4 && cause !== undefined ? networkCodeOf(cause, depth + 1) : undefined;
}

function isCertificateError(err: unknown, depth = 0): err is CertificateMismatchError {
  if (err instanceof CertificateMismatchError) return true;
  const { cause } = fields(err);
  return depth < 4 && cause !== undefined && isCertificateError(cause, depth + 1);
}

/** True if the request failed in a way a later attempt may not (PBS retries 500/503/504). */
export function isTransientS3Error(err: unknown): boolean {
  if (err instanceof AppError || isCertificateError(err)) return false;
  const status = httpStatusOf(err);
  if (status !== undefined && (status === 429 || status === 500 || status >= 502)) return true;
  const name = nameOf(err);
  if (THROTTLING.has(name) || TRANSIENT_NAMES.has(name)) return true;
  if (networkCodeOf(err)) return true;
  // a response cut short before its status or body arrived
  const message = fields(err).message;
  return typeof message === 'string' && /socket hang up|premature close|aborted/i.test(message);
}

export function isNotFoundS3Error(err: unknown): boolean {
  return httpStatusOf(err) === 404 || NOT_FOUND_NAMES.has(nameOf(err));
}

function codeFor(err: unknown, transient: boolean): ErrorCode {
  if (isCertificateError(err)) return 'PERMISSION_DENIED';
  if (transient) return 'BACKEND_UNAVAILABLE';
  const status = httpStatusOf(err);
  const name = nameOf(err);
  if (status === 404 || NOT_FOUND_NAMES.has(name)) return 'NOT_FOUND';
  if (status === 401 || status === 403 || DENIED_NAMES.has(name)) return 'PERMISSION_DENIED';
  if (status === 400 || status === 405 || status === 411 || status === 413) return 'INVALID_ARGUMENT';
  return 'INTERNAL';
}

function reasonOf(err: unknown): string {
  if (isCertificateError(err)) {
    let e: unknown = err;
    while (!(e instanceof CertificateMismatchError)) e = fields(e).cause;
    return e.message;
  }
  const status = httpStatusOf(err);
  const name = nameOf(err);
  const network = networkCodeOf(err);
  const message = fields(err).message;
  const text = typeof message === 'string' && message !== '' && message !== 'UnknownError' ? message : '';
  const parts = [
    status !== undefined ? `HTTP ${status}` : '',
    name,
    network && network !== name ? network : '',
    text,
  ];
  return parts.filter((p, i) => p !== '' && parts.indexOf(p) === i).join(' ') || 'request failed';
}

/** The SDK's errors carry the whole raw response (socket and all): keep name, message, status. */
function slimCause(err: unknown): unknown {
  const f = fields(err);
  if (!(err instanceof Error) || !('$response' in err)) return err;
  const slim = new Error(typeof f.message === 'string' ? f.message : String(err));
  slim.name = nameOf(err) || 'Error';
  return Object.assign(slim, { $metadata: f.$metadata });
}

/**
 * Translates a failed request; `what` names endpoint, bucket and key ("S3 endpoint 'h:443'
 * bucket 'b': GET 'store/.cnt/vm/100/owner'"). `attempts` is said in the message when > 1.
 */
export function toS3AppError(err: unknown, what: string, attempts = 1): AppError {
  if (err instanceof AppError) return err;
  const transient = isTransientS3Error(err);
  const code = codeFor(err, transient);
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  const status = httpStatusOf(err);
  const details: Record<string, unknown> = { s3Error: nameOf(err) || undefined, httpStatus: status };
  if (isCertificateError(err)) {
    let e: unknown = err;
    while (!(e instanceof CertificateMismatchError)) e = fields(e).cause;
    details.fingerprint = e.actual;
  }
  return new AppError(code, `${what}: ${reasonOf(err)}${tries}`, { cause: slimCause(err), details });
}
