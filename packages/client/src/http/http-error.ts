import { AppError, type ErrorCode } from '@pbs/api-types/errors';

/*
 * PBS servers answer errors with an HTTP status and the plain-text message as body (REST and the
 * H2 protocols alike). Mapped back to our closed error codes; the message stays the server's.
 */

function codeOf(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'BUSY';
    case 501:
      return 'NOT_IMPLEMENTED';
    case 502:
    case 503:
    case 504:
      return 'BACKEND_UNAVAILABLE';
    default:
      return status >= 400 && status < 500 ? 'INVALID_ARGUMENT' : 'INTERNAL';
  }
}

export function httpError(status: number, body: string, what?: string): AppError {
  const text = body.trim() === '' ? `HTTP status ${status}` : body.trim();
  return new AppError(codeOf(status), what ? `${what}: ${text}` : text, { details: { status } });
}

/** A `{"data": …}` reply's data; an empty body is null (PBS clients treat it so). */
export function unwrapData(body: Buffer, what: string): unknown {
  if (body.length === 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new AppError('INTERNAL', `${what}: unable to parse server reply as JSON`, { cause: err });
  }
  if (typeof json !== 'object' || json === null || !('data' in json)) return null;
  return json.data;
}
